#!/usr/bin/env python3
"""Offline test of the drill leader's check-in page in headless Chromium.

Starts the server with the command given after `--`, logs in with the drill-leader code, marks one
member while the server is up, kills the server, marks more members while it is down (they must
wait in the page's localStorage queue, shown as pending), restarts the server on the same port,
logs in again when the page asks (the cookie key is per process), and then checks through
`GET /api/sessions/{uid}` (Bearer code) that every mark arrived, and through the SQLite audit trail
that each arrived exactly once.

    python3 scripts/checkin-offline-test.py --url http://127.0.0.1:8099 --code K7QX-3MPA-W9RT \
        --uid UID --database DIR/drillcal.sqlite -- .build/debug/drillcal serve DIR --port 8099

Needs Debian's chromium and chromium-driver; selenium is installed into a venv under ~/.cache.
Exit 0 and a closing "N passed, 0 failed" line when every check holds.
"""
import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VENV = os.path.expanduser("~/.cache/drillcal-selenium-venv")


def ensure_selenium():
    try:
        import selenium  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("DRILLCAL_SELENIUM_VENV") == "1":
        sys.exit("selenium is missing even inside the venv " + VENV)
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q", "selenium>=4.10"])
    env = dict(os.environ, DRILLCAL_SELENIUM_VENV="1")
    os.execve(os.path.join(VENV, "bin", "python"), [os.path.join(VENV, "bin", "python")] + sys.argv, env)


ensure_selenium()

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what)


def get_json(url, code=None):
    request = urllib.request.Request(url)
    if code:
        request.add_header("Authorization", "Bearer " + code)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


class Server:
    def __init__(self, command, url):
        self.command, self.url, self.process = command, url, None

    def start(self):
        self.process = subprocess.Popen(self.command, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                get_json(self.url + "/api/sessions")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None:
                    sys.exit("the server exited with %s" % self.process.returncode)
                time.sleep(0.3)
        sys.exit("the server did not answer within 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--uid", required=True)
    parser.add_argument("--database", help="SQLite store, to count audit entries")
    parser.add_argument("--screenshot", help="PNG of the page while offline")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        sys.exit("give the server command after --")
    quoted = urllib.parse.quote(args.uid, safe="@")
    page_url = "%s/checkin/%s" % (args.url, quoted)
    api_url = "%s/api/sessions/%s" % (args.url, quoted)

    server = Server(command, args.url)
    server.start()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=420,1400"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 30)
    try:
        def login():
            wait.until(lambda d: d.find_elements(By.ID, "code"))
            driver.find_element(By.ID, "code").send_keys(args.code.lower())
            driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.member"))

        def badge_classes():
            return [b.get_attribute("class") for b in driver.find_elements(By.CSS_SELECTOR, "li.member .badge")]

        def tap(index, status, reason=None):
            li = driver.find_elements(By.CSS_SELECTOR, "li.member")[index]
            if reason:
                li.find_element(By.CSS_SELECTOR, "input.reason").send_keys(reason)
            li.find_element(By.CSS_SELECTOR, "button[data-status=%s]" % status).click()
            return li.get_attribute("data-member")

        driver.get(page_url)
        login()
        members = driver.find_elements(By.CSS_SELECTOR, "li.member")
        check(len(members) >= 3, "the roster shows at least three members (%d)" % len(members))

        expected = {}
        expected[tap(0, "present")] = "present"
        wait.until(lambda d: "confirmed" in badge_classes()[0])
        check(True, "a mark made online is confirmed")

        server.stop()
        expected[tap(1, "late")] = "late"
        expected[tap(2, "excused", "外出务工")] = ("excused", "外出务工")
        time.sleep(3)  # several retries against the dead server
        pending = [c for c in badge_classes() if "pending" in c]
        check(len(pending) == 2, "two marks made offline wait as pending (%d)" % len(pending))
        queued = driver.execute_script(
            "return JSON.parse(localStorage.getItem('drillcal.queue.' + arguments[0]) || '[]').length", args.uid)
        check(queued == 2, "the offline marks are in localStorage (%s)" % queued)
        sync_text = driver.find_element(By.ID, "sync").text
        check("2" in sync_text, "the page says two are pending")
        check("稍后自动重试" in sync_text and "{" not in sync_text,
              "the page shows the retry state, not a raw response (%s)" % sync_text)
        if args.screenshot:
            driver.save_screenshot(args.screenshot)

        server.start()
        # A new process has a new cookie key: the page notices the 401 and offers to log in again.
        wait.until(lambda d: d.find_element(By.ID, "relogin").is_displayed())
        check(True, "after the restart the page asks to log in again")
        driver.find_element(By.CSS_SELECTOR, "#relogin a").click()
        wait.until(lambda d: d.find_elements(By.ID, "code"))
        check(driver.find_element(By.ID, "queued").is_displayed(), "the login page says marks wait on the phone")
        login()
        wait.until(lambda d: not any("pending" in c for c in badge_classes()))
        check(True, "after logging in again every pending mark is confirmed")
        queued = driver.execute_script(
            "return JSON.parse(localStorage.getItem('drillcal.queue.' + arguments[0]) || '[]').length", args.uid)
        check(queued == 0, "the queue is empty")

        detail = get_json(api_url, args.code)
        stored = {m["member"]: m for m in detail["marks"]}
        for member, want in expected.items():
            status, reason = want if isinstance(want, tuple) else (want, None)
            got = stored.get(member)
            check(got is not None and got["status"] == status and got.get("reason") == reason
                  and got["source"] == "page", "%s arrived as %s" % (member, status))
        check(len(stored) == len(expected), "no other marks (%d stored)" % len(stored))
        if args.database:
            db = sqlite3.connect(args.database)
            count = db.execute("SELECT count(*) FROM audit WHERE session_uid = ? AND action = 'mark'",
                               (args.uid,)).fetchone()[0]
            check(count == len(expected), "each mark was recorded exactly once (%d audit entries)" % count)
    finally:
        driver.quit()
        server.stop()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
