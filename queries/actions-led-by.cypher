// name: actions-led-by
// title: 机构牵头的行动 | Actions led by an agency
// description: Every action an agency leads, with the basis of the lead: explicit (the document names the lead) or first-listed (the note marks no lead; by convention the first unit leads).
// param: agency: agency — 机构：写法、简称或规范名 | the agency as written, an alias or its canonical name
// param: city: city = null — 城市 | narrow to one government
// example: agency=市科技局 city=鄂州市
MATCH (a:Agency)-[l:LEADS]->(x:Action)
WHERE a.id IN $agency AND ($city IS NULL OR a.city = $city)
MATCH (d:Document {id: x.doc_id})
RETURN a.city AS city, a.name AS agency, x.number AS number, x.title AS action, l.basis AS basis,
       l.derived_from AS via_collective, d.source AS document
ORDER BY city, document, x.seq
