// name: documents
// title: 已加载文件 | Loaded documents
// description: Every loaded plan with its city, level, issuer, date and counts of actions and targets.
MATCH (d:Document)
OPTIONAL MATCH (x:Action {doc_id: d.id})
WITH d, count(x) AS actions
OPTIONAL MATCH (t:Target {doc_id: d.id})
RETURN d.source AS document, d.title AS title, d.city AS city, d.level AS level, d.issuer AS issuer,
       d.published AS published, actions, count(t) AS targets
ORDER BY document
