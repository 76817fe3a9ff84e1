// name: mentions-of
// title: 提及某实体的行动 | Where an entity is mentioned
// description: Actions (and, outside actions, documents) that name a district, park, platform, organisation or person whose name contains the text.
// param: name: string — 名称（包含） | text the entity's name contains
// param: type: entity_type = null — 类型 | District, Park, Platform, Organization or Person
// example: name=莲花山
MATCH (source)-[:MENTIONS]->(e)
WHERE e.name CONTAINS $name AND ($type IS NULL OR labels(e)[0] = $type)
RETURN labels(e)[0] AS type, e.name AS entity, e.city AS city, labels(source)[0] AS mentioned_by,
       source.id AS mentioned_by_id
ORDER BY type, entity, mentioned_by_id
