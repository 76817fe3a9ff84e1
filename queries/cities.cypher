// name: cities
// title: 城市概览 | Cities at a glance
// why: a plan's actions are counted on it (graph/schema.py Document.actions): joining every action to its plan took 100 ms at 10,000 plans.
// description: Every government the plans belong to, with its province and how many plans, actions and agencies it has (plans whose government is unknown are left out; a city whose plans name its province on some and not on others is one row, with that province).
MATCH (d:Document)
WHERE d.city IS NOT NULL
WITH d.city AS city, max(d.province) AS province, count(*) AS plans, sum(d.actions) AS actions
OPTIONAL MATCH (g:Agency {city: city})
RETURN city, province, plans, actions, count(g) AS agencies
ORDER BY actions DESC, city
