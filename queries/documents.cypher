// name: documents
// title: 已加载文件 | Loaded documents
// why: the counts are the plan's own (graph/schema.py Document.actions, .targets): joining 10,000 plans to their actions and targets took ~150 ms.
// description: Every loaded plan with its city, level, issuer, date and counts of actions and targets.
MATCH (d:Document)
RETURN d.source AS document, d.title AS title, d.city AS city, d.level AS level, d.issuer AS issuer,
       d.published AS published, d.actions AS actions, d.targets AS targets
ORDER BY document
