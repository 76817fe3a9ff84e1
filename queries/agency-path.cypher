// name: agency-path
// title: 机构间的协作路径 | Path between two agencies
// description: The shortest chain of shared actions linking two agencies (agency – action – agency …): how far apart two bodies are in the plans' coordination.
// param: from: agency — 起点机构 | one agency
// param: to: agency — 终点机构 | the other agency
// example: from=鄂州市委组织部 to=鄂州市商务局
MATCH (a:Agency) WHERE a.id IN $from
MATCH (b:Agency) WHERE b.id IN $to AND b.id <> a.id
MATCH p = shortestPath((a)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS*..12]-(b))
RETURN a.name AS from_agency, b.name AS to_agency, length(p) / 2 AS shared_action_steps, nodes(p) AS path
ORDER BY from_agency, to_agency
