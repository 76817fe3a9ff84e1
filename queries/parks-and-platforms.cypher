// name: parks-and-platforms
// title: 园区与平台 | Parks and platforms
// description: Every park and platform the plans name, the district it is in where the text says so, and how many actions mention it.
// param: city: city = null — 城市 | narrow to one government
// example: city=鄂州市
MATCH (source)-[:MENTIONS]->(p)
WHERE labels(p)[0] IN ['Park', 'Platform'] AND ($city IS NULL OR p.city = $city)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(d:District)
WITH p, d, sum(CASE WHEN labels(source)[0] = 'Action' THEN 1 ELSE 0 END) AS actions
RETURN labels(p)[0] AS type, p.name AS name, p.city AS city, d.name AS district, actions
ORDER BY type, city, name
