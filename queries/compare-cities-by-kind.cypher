// name: compare-cities-by-kind
// title: 同类机构跨城市比较 | Compare cities by agency kind
// description: The agencies of one kind (科技局, Science and Technology Bureau …) in every city, side by side: what each leads, shares and supports.
// param: kind: kind — 机构类别：中文或英文 | the kind in Chinese (科技局) or English
// example: kind=科技局
MATCH (a:Agency)-[:OF_KIND]->(k:AgencyKind)
WHERE k.id IN $kind
OPTIONAL MATCH (a)-[r]->(x:Action)
WITH k, a,
     sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads,
     sum(CASE WHEN type(r) = 'LEADS' AND r.basis = 'explicit' THEN 1 ELSE 0 END) AS explicit_leads,
     sum(CASE WHEN type(r) = 'RESPONSIBLE_FOR' THEN 1 ELSE 0 END) AS responsible,
     sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END) AS supports
RETURN k.name AS kind, k.name_en AS kind_en, a.city AS city, a.name AS agency, leads, explicit_leads, responsible,
       supports
ORDER BY city, agency
