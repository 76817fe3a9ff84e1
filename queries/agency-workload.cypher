// name: agency-workload
// title: 机构工作量 | Agency workload
// description: How many actions each agency leads, shares and supports — where the load falls. Members of collective units count the actions they share through the collective.
// param: city: city = null — 城市 | narrow to one city's plans (a district plan's units included)
// example: city=仙桃市
MATCH (a:Agency)-[r]->(x:Action)
WHERE $city IS NULL OR x.city = $city
WITH a,
     sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads,
     sum(CASE WHEN type(r) = 'LEADS' AND r.basis = 'explicit' THEN 1 ELSE 0 END) AS explicit_leads,
     sum(CASE WHEN type(r) = 'RESPONSIBLE_FOR' THEN 1 ELSE 0 END) AS responsible,
     sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END) AS supports
RETURN a.city AS city, a.name AS agency, a.type AS type, leads, explicit_leads, responsible, supports,
       leads + responsible + supports AS total
ORDER BY leads DESC, total DESC, agency
