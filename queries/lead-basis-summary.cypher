// name: lead-basis-summary
// title: 牵头依据统计 | How leads are assigned
// description: Per document, how many actions have an explicitly named lead and how many rely on the first-listed convention.
// param: city: city = null — 城市 | narrow to one government
// example: city=鄂州市
MATCH (a:Agency)-[l:LEADS]->(x:Action)
WHERE l.derived_from IS NULL AND ($city IS NULL OR x.city = $city)
MATCH (d:Document {id: x.doc_id})
RETURN d.source AS document, x.city AS city, l.basis AS basis, count(DISTINCT x) AS actions
ORDER BY document, basis
