#!/usr/bin/env python3
"""`webflow-assets mcp` driven by another MCP implementation: the `mcp` package from PyPI.

The server is the built binary, the site the standalone fake. The client lists the tools and
calls two; it checks each structured result against the tool's output schema itself, so a
schema that does not describe what the server sends fails here.

    python3 -m venv venv && venv/bin/pip install mcp
    venv/bin/python tests/mcp_client.py target/debug
"""

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from standalone_fake import StandaloneFake

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BIN = Path(sys.argv[1] if len(sys.argv) > 1 else "target/debug").resolve()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Fake(StandaloneFake):
    """The standalone fake of the build under test, with budget to spare."""

    def __init__(self):
        super().__init__(BIN / "webflow-fake", "--rate-limit", "1000")


async def run(fake, root):
    server = StdioServerParameters(
        command=str(BIN / "webflow-assets"),
        args=["--base-url", fake.base, "--rate-limit", "1000", "mcp", "--root", root],
        env={"WEBFLOW_TOKEN": fake.token, "WEBFLOW_SITE_ID": fake.site, "PATH": os.environ.get("PATH", "")},
    )
    passed = 0
    with tempfile.TemporaryFile("w+") as errlog:
        async with stdio_client(server, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                info = await session.initialize()
                check(info.server_info.name == "webflow-assets", f"server: {info.server_info}")

                tools = (await session.list_tools()).tools
                names = [tool.name for tool in tools]
                check(len(names) == 15, f"15 tools: {names}")
                check(all(tool.output_schema for tool in tools), "every tool has an output schema")
                passed += 1

                # The client validates the structured content against the output schema.
                result = await session.call_tool(
                    "upload_files", {"paths": ["hello.png"], "folder": "from-python"}
                )
                check(not result.is_error, f"upload_files: {result}")
                record = result.structured_content["files"][0]
                check(record["status"] == "uploaded", f"record: {record}")
                passed += 1

                result = await session.call_tool("list_assets", {"folder": "from-python"})
                check(not result.is_error, f"list_assets: {result}")
                assets = result.structured_content["assets"]
                check([a["id"] for a in assets] == [record["asset_id"]], f"assets: {assets}")
                passed += 1

                # A failure is a tool result with the command's error object.
                result = await session.call_tool("upload_files", {"paths": ["/etc/passwd"]})
                check(result.is_error, f"outside the root: {result}")
                check('"outside_roots"' in result.content[0].text, result.content[0].text)
                passed += 1
        errlog.seek(0)
        check(fake.token not in errlog.read(), "the token is in a log line")
    return passed


def main():
    fake = Fake()
    try:
        with tempfile.TemporaryDirectory() as root:
            Path(root, "hello.png").write_bytes(b"\x89PNG from python")
            passed = asyncio.run(run(fake, root))
    finally:
        fake.close()
    print(f"mcp client: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
