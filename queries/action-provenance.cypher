// name: action-provenance
// title: 行动出处 | Where an action comes from
// description: The document, character span and quoted text of an action and its responsibility note.
// param: action: action — 行动：编号或标题 | the action's number or title
// param: document: document = null — 文件 | narrow to one document
// example: action=做强核心创新平台
UNWIND $action AS action_id
MATCH (x:Action {id: action_id})
WHERE $document IS NULL OR x.doc_id IN $document
MATCH (d:Document {id: x.doc_id})
RETURN d.source AS document, d.title AS title, x.number AS number, x.title AS action, x.section AS section,
       x.span AS span, x.quote AS quote, x.note AS note
ORDER BY document, x.seq
