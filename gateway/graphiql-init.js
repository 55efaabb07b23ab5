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

  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultEditorToolsVisibility: 'variables',
    }),
  );
})();
