// name: co-responsibility
// title: 共同责任 | Co-responsibility
// description: Pairs of agencies named on the same actions, with how many they share — who has to coordinate with whom. Units expanded from collectives are left out (the collective stands for them).
// param: city: city = null — 城市 | narrow to one government
// param: min_shared: int = 1 — 最少共同行动数 | only pairs sharing at least this many actions
// example: city=鄂州市 min_shared=5
MATCH (a:Agency)-[r1]->(x:Action)<-[r2]-(b:Agency)
WHERE a.id < b.id AND r1.derived_from IS NULL AND r2.derived_from IS NULL AND ($city IS NULL OR x.city = $city)
WITH a, b, count(DISTINCT x) AS shared
WHERE shared >= $min_shared
RETURN a.city AS city, a.name AS agency_a, b.name AS agency_b, shared
ORDER BY shared DESC, city, agency_a, agency_b
