// name: corrected-facts
// title: 人工更正的事实 | Facts people corrected
// description: Every relationship and node a person corrected (policykg correct, or the explorer's edit controls), with who, when and why; the loaders' reading of each is in `policykg corrections list`.
// param: document: document = null — 文件 | narrow to one document (file name, title or city)
// param: city: city = null — 城市 | narrow to one government
// example: city=仙桃市
MATCH (a:Agency)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(x:Action)
WHERE r.correction IS NOT NULL AND ($document IS NULL OR x.doc_id IN $document) AND ($city IS NULL OR x.city = $city)
MATCH (c:Correction {id: r.correction}) MATCH (d:Document {id: x.doc_id})
RETURN x.city AS city, d.source AS document, type(r) AS fact, x.number AS number, x.title AS about, a.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (t:Target)
WHERE t.correction IS NOT NULL AND ($document IS NULL OR t.doc_id IN $document) AND ($city IS NULL OR t.city = $city)
MATCH (c:Correction {id: t.correction}) MATCH (d:Document {id: t.doc_id})
RETURN t.city AS city, d.source AS document, 'Target' AS fact, '' AS number, t.metric AS about, t.unit AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (n:District)
WHERE n.correction IS NOT NULL AND ($document IS NULL OR n.doc_id IN $document) AND ($city IS NULL OR n.city = $city)
MATCH (c:Correction {id: n.correction}) MATCH (d:Document {id: n.doc_id})
RETURN n.city AS city, d.source AS document, 'District' AS fact, '' AS number, '' AS about, n.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (n:Park)
WHERE n.correction IS NOT NULL AND ($document IS NULL OR n.doc_id IN $document) AND ($city IS NULL OR n.city = $city)
MATCH (c:Correction {id: n.correction}) MATCH (d:Document {id: n.doc_id})
RETURN n.city AS city, d.source AS document, 'Park' AS fact, '' AS number, '' AS about, n.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (n:Platform)
WHERE n.correction IS NOT NULL AND ($document IS NULL OR n.doc_id IN $document) AND ($city IS NULL OR n.city = $city)
MATCH (c:Correction {id: n.correction}) MATCH (d:Document {id: n.doc_id})
RETURN n.city AS city, d.source AS document, 'Platform' AS fact, '' AS number, '' AS about, n.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (n:Organization)
WHERE n.correction IS NOT NULL AND ($document IS NULL OR n.doc_id IN $document) AND ($city IS NULL OR n.city = $city)
MATCH (c:Correction {id: n.correction}) MATCH (d:Document {id: n.doc_id})
RETURN n.city AS city, d.source AS document, 'Organization' AS fact, '' AS number, '' AS about, n.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (n:Person)
WHERE n.correction IS NOT NULL AND ($document IS NULL OR n.doc_id IN $document) AND ($city IS NULL OR n.city = $city)
MATCH (c:Correction {id: n.correction}) MATCH (d:Document {id: n.doc_id})
RETURN n.city AS city, d.source AS document, 'Person' AS fact, '' AS number, '' AS about, n.name AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
UNION ALL
MATCH (d0:Document)
WHERE d0.correction IS NOT NULL AND ($document IS NULL OR d0.id IN $document) AND ($city IS NULL OR d0.city = $city)
MATCH (c:Correction {id: d0.correction}) MATCH (d:Document {id: d0.id})
RETURN d0.city AS city, d.source AS document, 'Document' AS fact, '' AS number, '' AS about, d0.title AS value, c.id AS correction, c.who AS who, c.at AS at, c.why AS why
ORDER BY city, document, number, at
