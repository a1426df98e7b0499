"""Fetching one URL politely and safely: the fetch policy and the drivers that run it on httpx.

- `policy`: what happens next for a request (send, follow a redirect, read the body up to the
  cap, retry after N seconds, fail with this error), decided with no I/O.
- `sync_fetcher`, `async_fetcher`: the drivers; they do the I/O the policy asks for.
- `guard`: the network layer under httpx: one deadline per request, headers included, and the
  address guard on every connection; `addresses` says which ranges a site may reach.
- `url_check`, `host_scope`: which URLs can be requested at all, and which hosts a site may.
- `robots`, `body`, `blockpage`: robots.txt rules, the capped body decoder, block pages.
- `errors`: the FetchError tree, each class with its exit code.
"""
