// name: agency-partners
// title: 机构的协作伙伴 | An agency's partners
// description: The agencies an agency shares actions with, how many, and in which roles — the next question after who leads what.
// param: agency: agency — 机构 | the agency as written, an alias or its canonical name
// param: city: city = null — 城市 | narrow to one government
// example: agency=市经信局 city=仙桃市
MATCH (a:Agency)-[r1]->(x:Action)<-[r2]-(b:Agency)
WHERE a.id IN $agency AND a.id <> b.id AND r2.derived_from IS NULL AND ($city IS NULL OR a.city = $city)
WITH a, b, count(DISTINCT x) AS shared,
     sum(CASE WHEN type(r2) = 'LEADS' THEN 1 ELSE 0 END) AS partner_leads,
     sum(CASE WHEN type(r1) = 'LEADS' THEN 1 ELSE 0 END) AS agency_leads
RETURN a.name AS agency, b.name AS partner, shared, agency_leads, partner_leads
ORDER BY agency, shared DESC, partner
