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
  var asJson = function (value) {
    return value ? JSON.stringify(value, null, 2) : undefined;
  };
  var tabs = config.examples.map(function (example) {
    return { query: example.query, variables: asJson(example.variables), headers: asJson(example.headers) };
  });

  var props = {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: 'variables',
    // Headers (tokens) are never written to localStorage; they come with each page load.
    shouldPersistHeaders: false,
  };
  // The development token of the embedded default (graphiql.ts adds it only while the gateway's
  // development issuer is on): what the header editor shows for every tab without headers of its own.
  if (config.defaultHeaders) props.defaultHeaders = asJson(config.defaultHeaders);

  // GraphiQL 3 seeds the variables editor of the first tab from the `variables` prop, not from
  // defaultTabs (@graphiql/react EditorContextProvider): without this the preloaded Customer360
  // query would open with empty variables and fail on its required $erp. Only on a first visit, so
  // tabs a developer edited and GraphiQL saved in localStorage win.
  var storage = exampleHeadersStorage();
  var storedTabs = storage ? storage.getItem('graphiql:tabState') : null;
  if (storedTabs === null && tabs.length > 0 && tabs[0].variables) props.variables = tabs[0].variables;
  if (storage) props.storage = storage;
  if (storedTabs !== null) {
    // The header editor opens on the active tab's headers (GraphiQL would show the default).
    try {
      var state = JSON.parse(storedTabs);
      var active = state.tabs && state.tabs[state.activeTabIndex];
      if (active && active.headers) props.headers = active.headers;
    } catch (e) {
      // Unreadable state: GraphiQL falls back to the default tabs itself.
    }
  }

  ReactDOM.createRoot(container).render(React.createElement(GraphiQL, props));

  // On a later visit GraphiQL restores the tabs from localStorage without their headers (never
  // persisted), so every tab would fall back to the default token. This storage hands GraphiQL the
  // saved tabs with this page load's headers put back into the tabs still running an example that
  // has headers of its own (the partner view), and stores what GraphiQL writes without headers:
  // the tokens stay in memory only.
  var HEADERLESS_KEYS = ['graphiql:queries', 'graphiql:favorites'];

  function exampleHeadersStorage() {
    var local;
    try {
      local = window.localStorage;
      local.getItem('graphiql:tabState');
    } catch (e) {
      return null; // Storage blocked (private mode): every visit is a first visit.
    }
    var headersByOperation = {};
    config.examples.forEach(function (example) {
      var name = operationName(example.query);
      if (name && example.headers) headersByOperation[name] = asJson(example.headers);
    });
    return {
      getItem: function (key) {
        var value = local.getItem(key);
        return key === 'graphiql:tabState' && value ? withExampleHeaders(value) : value;
      },
      setItem: function (key, value) {
        // GraphiQL's history and favourites keep each run's headers whatever shouldPersistHeaders
        // says (@graphiql/toolkit HistoryStore): drop them, tokens never reach localStorage.
        local.setItem(key, HEADERLESS_KEYS.indexOf(key) >= 0 ? withoutHeaders(value) : value);
      },
      removeItem: function (key) {
        local.removeItem(key);
      },
      get length() {
        return Object.keys(local).filter(function (key) {
          return key.indexOf('graphiql:') === 0;
        }).length;
      },
      clear: function () {
        Object.keys(local).forEach(function (key) {
          if (key.indexOf('graphiql:') === 0) local.removeItem(key);
        });
      },
    };

    function withoutHeaders(value) {
      try {
        return JSON.stringify(JSON.parse(value), function (key, item) {
          return key === 'headers' ? undefined : item;
        });
      } catch (e) {
        return value;
      }
    }

    function withExampleHeaders(stored) {
      try {
        var state = JSON.parse(stored);
        (state.tabs || []).forEach(function (tab) {
          var headers = headersByOperation[operationName(tab.query || '')];
          if (headers) tab.headers = headers;
        });
        return JSON.stringify(state);
      } catch (e) {
        return stored;
      }
    }
  }

  function operationName(query) {
    var match = /(?:^|\n)\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query);
    return match ? match[1] : null;
  }
})();
