"""Fail when a browser test was skipped, or when no test ran at all."""

import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
cases = list(root.iter("testcase"))
browser = [c for c in cases if "tests.browser" in c.get("classname", "") or "/browser/" in c.get("file", "")]
skipped = [c for c in browser if c.find("skipped") is not None]
if not cases:
    sys.exit("CI: no test ran")
if not browser:
    sys.exit("CI: no browser test ran")
if skipped:
    sys.exit("CI: browser tests were skipped: " + ", ".join(c.get("name", "?") for c in skipped))
print(f"CI: {len(cases)} tests, {len(browser)} browser tests, none skipped")
