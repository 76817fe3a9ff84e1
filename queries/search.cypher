// name: search
// title: 搜索 | Search
// description: Agencies, actions and entities whose name, title or text contains the words.
// param: text: string — 关键词 | the words to look for
// example: text=低空
MATCH (a:Agency) WHERE a.name CONTAINS $text
RETURN 'Agency' AS type, a.name AS name, a.city AS city, a.kind AS detail
UNION ALL
MATCH (x:Action) WHERE x.title CONTAINS $text OR x.text CONTAINS $text
RETURN 'Action' AS type, x.title AS name, x.city AS city, x.number AS detail
UNION ALL
MATCH (source)-[:MENTIONS]->(e) WHERE e.name CONTAINS $text
RETURN DISTINCT labels(e)[0] AS type, e.name AS name, e.city AS city, '' AS detail
UNION ALL
MATCH (t:Target) WHERE t.metric CONTAINS $text
RETURN 'Target' AS type, t.metric AS name, t.city AS city, t.text AS detail
