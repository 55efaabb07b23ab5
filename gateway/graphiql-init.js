// Boots GraphiQL in the page served by graphiql.ts. A file of its own rather than an inline
// script, so the page's Content-Security-Policy can stay at script-src 'self'. Its settings come
// from the page's JSON data block (not executed, so CSP does not apply to it).
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var container = document.getElementById('graphiql');
  // Styles set through the CSSOM are allowed under style-src 'self'; style attributes are not.
  document.body.style.margin = '0';
  container.style.height = '100vh';

  var fetcher = GraphiQL.createFetcher({
    url: new URL(config.endpoint, window.location.href).href,
    // The gateway does not execute @defer or subscriptions: plain JSON responses only.
    enableIncrementalDelivery: false,
  });
  var tabs = config.examples.map(function (example) {
    return { query: example.query, variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined };
  });

  var props = {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: 'variables',
  };
  // GraphiQL 3 seeds the variables editor of the first tab from the `variables` prop, not from
  // defaultTabs (@graphiql/react EditorContextProvider): without this the preloaded Customer360
  // query would open with empty variables and fail on its required $erp. Only on a first visit, so
  // tabs a developer edited and GraphiQL saved in localStorage win.
  var firstVisit = true;
  try {
    firstVisit = window.localStorage.getItem('graphiql:tabState') === null;
  } catch (e) {
    // Storage blocked (private mode): every visit is a first visit.
  }
  if (firstVisit && tabs.length > 0 && tabs[0].variables) props.variables = tabs[0].variables;

  ReactDOM.createRoot(container).render(React.createElement(GraphiQL, props));
})();
