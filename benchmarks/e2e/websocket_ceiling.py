"""A WebSocket server that sends 16 binary messages of 16 MB when a client says "go": the ceiling of what the
browser can receive over one WebSocket on this machine, measured by benchmarks/e2e/run.mjs beside the traces.

Usage: python benchmarks/e2e/websocket_ceiling.py PORT
"""
import asyncio
import os
import sys

import tornado.web
import tornado.websocket

MESSAGE = os.urandom(16 * 2**20)


class Sender(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    async def on_message(self, message):
        for _ in range(16):
            await self.write_message(MESSAGE, binary=True)


async def main(port: int) -> None:
    tornado.web.Application([(r"/ws", Sender)]).listen(port, address="127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
