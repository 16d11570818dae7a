"""gymfuzz's network layer: mitmproxy addons that inject faults and record ground truth.

The package stands alone: it imports nothing else of gymfuzz, so the same addon runs embedded
in the gymfuzz runner (:class:`proxy_addons.embedded.EmbeddedProxy`) or under a plain
``mitmdump -s proxy_addons/mitmdump_addon.py``.

Modules:

* :mod:`proxy_addons.plan` -- an episode's plan (seed, network faults, page script), validated;
* :mod:`proxy_addons.envelope` -- the shared fault envelope: request match, trigger, probability;
* :mod:`proxy_addons.seeding` -- keyed, replayable random decisions;
* :mod:`proxy_addons.faults` -- the catalog, one module per fault kind;
* :mod:`proxy_addons.ledger` -- the per-episode JSONL ledger;
* :mod:`proxy_addons.injection` -- page-script injection into HTML (any charset);
* :mod:`proxy_addons.htmlscan` -- where the page script goes, found by an HTML tokenizer;
* :mod:`proxy_addons.csp` -- lets the injected script run under a Content-Security-Policy;
* :mod:`proxy_addons.control` -- the token-protected control API answered by the proxy;
* :mod:`proxy_addons.reserved` -- gymfuzz's own paths, sealed from the app, and their limits;
* :mod:`proxy_addons.own_paths` -- the answer to a request on those paths (control API, events);
* :mod:`proxy_addons.classify` -- a request's resource type and episode credential;
* :mod:`proxy_addons.scope` -- which requests a plan applies to (by default, the app's own);
* :mod:`proxy_addons.decide` -- matching, trigger counting and keyed draws for one request;
* :mod:`proxy_addons.records` -- the ledger records written for a flow;
* :mod:`proxy_addons.drip` -- the single-use tunnel through which ``throttle`` drips a body;
* :mod:`proxy_addons.rewrite` -- the page script put into a response (codings, CSP headers);
* :mod:`proxy_addons.flowinfo` -- what is kept about a flow in flight;
* :mod:`proxy_addons.addon` -- the mitmproxy addon tying them together;
* :mod:`proxy_addons.embedded` -- mitmproxy run in-process on its own thread.

Only :mod:`~proxy_addons.addon` and :mod:`~proxy_addons.embedded` import mitmproxy.
"""
