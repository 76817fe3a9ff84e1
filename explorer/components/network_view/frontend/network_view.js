// The network drawing of the explorer (explorer.components.network_view): vis-network in a Streamlit
// component frame. The Streamlit component protocol (API version 1) by hand: say
// "streamlit:componentReady", draw on every "streamlit:render" (event.data.args), tell the page what was
// clicked with "streamlit:setComponentValue" and the frame's height with "streamlit:setFrameHeight".
// Names and tooltips come from documents: they reach the page only as text (vis-network puts a string
// title into innerText; the info panel is filled with textContent). The legend is views.draw's HTML, in
// which every name is escaped.
(function () {
  "use strict";
  var container = document.getElementById("policykg-network");
  var info = document.getElementById("policykg-info");
  var legend = document.getElementById("policykg-legend");
  var details = document.getElementById("policykg-details");
  var fit = document.getElementById("policykg-fit");
  var network = null;
  var nodes = null;
  var edges = null;
  var digest = null;
  var height = null;
  var hint = "";
  var hubPx = 12;
  var hubIds = [];
  var drawing = 0;       // which drawing is being laid out: a newer one makes an older one's end moot
  var pendingClick = null;

  function send(type, payload) {
    var message = {isStreamlitMessage: true, type: type};
    Object.keys(payload || {}).forEach(function (name) { message[name] = payload[name]; });
    window.parent.postMessage(message, "*");
  }

  function tell(value) {
    value.at = Date.now();  // every click is news, also a second one on the same node
    send("streamlit:setComponentValue", {value: value, dataType: "json"});
  }

  function show(item) { info.textContent = item ? item.title : hint; }

  // The most connected nodes keep a readable label at any zoom; vis-network hides the others' when tiny.
  function hubLabels() {
    if (!network || !hubIds.length) { return; }
    var size = Math.min(Math.max(14, hubPx / network.getScale()), 140);
    nodes.update(hubIds.map(function (id) { return {id: id, font: {size: size}}; }));
  }

  function fitAll() {
    network.fit({animation: false});
    hubLabels();
  }

  // Centre on a node, zoomed so that every node of the view (its shape and label) fits in the frame around it.
  function centreOn(id) {
    var at = network.getPosition(id);
    var dx = 1, dy = 1;
    nodes.getIds().forEach(function (other) {
      var box = network.getBoundingBox(other);
      dx = Math.max(dx, Math.abs(box.left - at.x), Math.abs(box.right - at.x));
      dy = Math.max(dy, Math.abs(box.top - at.y), Math.abs(box.bottom - at.y));
    });
    var margin = 16;
    var scale = Math.min((container.clientWidth / 2 - margin) / dx, (container.clientHeight / 2 - margin) / dy);
    scale = Math.max(0.05, Math.min(scale, 1.5));
    network.moveTo({position: at, scale: scale, animation: false});
    hubLabels();
  }

  function laidOut(which, data) {
    if (which !== drawing) { return; }
    if (data.physics) { network.setOptions({physics: {enabled: false}}); }
    if (data.highlight !== null && nodes.get(data.highlight)) {
      network.selectNodes([data.highlight]);
      centreOn(data.highlight);
      show(nodes.get(data.highlight));
    } else {
      fitAll();
      show(null);
    }
    container.setAttribute("data-state", "ready");
  }

  function wire() {
    network.on("click", function (params) {
      if (pendingClick !== null) { clearTimeout(pendingClick); pendingClick = null; }
      if (params.nodes.length) {
        var id = params.nodes[0];
        show(nodes.get(id));
        // a double click starts with a click: wait a moment to see whether this one is
        pendingClick = setTimeout(function () { pendingClick = null; tell({event: "select", node: id}); }, 320);
      } else if (params.edges.length) {
        var edge = edges.get(params.edges[0]);
        show(edge);
        tell({event: "select", edge: edge.ends});
      } else {
        show(null);
      }
    });
    network.on("doubleClick", function (params) {
      if (pendingClick !== null) { clearTimeout(pendingClick); pendingClick = null; }
      if (params.nodes.length) { tell({event: "centre", node: params.nodes[0]}); }
    });
    network.on("zoom", hubLabels);
    fit.addEventListener("click", function () { if (network) { fitAll(); } });
  }

  function draw(data) {
    drawing += 1;
    var which = drawing;
    container.setAttribute("data-state", "loading");
    nodes = new vis.DataSet(data.nodes);
    edges = new vis.DataSet(data.edges);
    hubPx = data.hub_px || 12;
    hubIds = data.nodes.filter(function (n) { return n.hub; }).map(function (n) { return n.id; });
    legend.innerHTML = data.legend;  // views.draw's legend: our markup, every name in it escaped
    if (data.physics) {
      // registered before the data is given: the stabilisation it starts reports back to this drawing
      var done = function () { network.off("stabilizationIterationsDone", done); laidOut(which, data); };
    }
    if (network === null) {
      network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
      wire();
      if (data.physics) { network.on("stabilizationIterationsDone", done); }
    } else {
      network.setOptions(data.options);
      if (data.physics) { network.on("stabilizationIterationsDone", done); }
      network.setData({nodes: nodes, edges: edges});
    }
    window.policykg = {network: network, nodes: nodes, edges: edges};
    if (!data.physics) { laidOut(which, data); }
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== "streamlit:render" || !message.args) { return; }
    var args = message.args;
    var lang = args.lang === "en" ? "en" : "zh";
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.body.className = "lang-" + lang;
    fit.textContent = args.words.fit;
    fit.title = args.words.fit;
    fit.setAttribute("aria-label", args.words.fit);
    details.textContent = args.words.details;
    hint = args.words.hint;
    if (args.height !== height) {
      height = args.height;
      send("streamlit:setFrameHeight", {height: height});
    }
    if (args.digest !== digest) {
      digest = args.digest;
      draw(args.data);
    } else if (!info.textContent) {
      show(null);
    }
  });

  send("streamlit:componentReady", {apiVersion: 1});
})();
