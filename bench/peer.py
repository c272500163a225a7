"""The aiohttp peer for `make bench`: the same /hello, /upstream and gather fan-out
as the Spin app, written the way the original aiohttp service would be.

    python peer.py PORT
"""

import asyncio
import json
import html
import sys
import time

from aiohttp import ClientSession, TCPConnector, web


def delay_ms(request, default):
    return int(request.query.get("delay_ms", default))


async def hello(request):
    await asyncio.sleep(delay_ms(request, 1000) / 1000)
    name = request.match_info.get("name", "Anonymous")
    return web.Response(text=f"<h1>Hello, {html.escape(name)}</h1>", content_type="text/html")


async def upstream(request):
    started = time.monotonic()
    delay = delay_ms(request, 0)
    await asyncio.sleep(delay / 1000)
    slept = (time.monotonic() - started) * 1000
    body = {"delay_ms": delay, "slept_ms": round(slept, 1), "status": 200}
    if request.query.get("framing") == "chunked":
        # The same body sent without a length, as the app's /upstream?framing=chunked.
        response = web.StreamResponse(headers={"content-type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(json.dumps(body).encode())
        await response.write_eof()
        return response
    return web.json_response(body)


async def gather(request):
    """GET /demo/gather?n=N&delay_ms=D: N concurrent calls to this app's /upstream."""
    n = int(request.query.get("n", 3))
    delay = delay_ms(request, 200)
    url = f"http://{request.host}/upstream?delay_ms={delay}"
    session = request.app["session"]

    async def call():
        async with session.get(url) as response:
            return await response.json()

    started = time.monotonic()
    results = await asyncio.gather(*(call() for _ in range(n)))
    elapsed = (time.monotonic() - started) * 1000
    return web.json_response(
        {"demo": "gather", "elapsed_ms": round(elapsed, 1), "expected_ms": delay, "tasks": len(results)}
    )


async def open_session(app):
    app["session"] = ClientSession(connector=TCPConnector(limit=0))


async def close_session(app):
    await app["session"].close()


def main():
    app = web.Application()
    app.router.add_get("/hello", hello)
    app.router.add_get("/hello/{name}", hello)
    app.router.add_get("/upstream", upstream)
    app.router.add_get("/demo/gather", gather)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    # The same deep accept queue as devhost, so a burst of connections is not
    # measured as SYN retransmits on one side only.
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None, backlog=8192)


if __name__ == "__main__":
    main()
