#!/usr/bin/env python3
"""The member absence page (请假) in headless Chromium.

A member opens their private page (/me/<token>), reports "我不能参加" with a reason for their next
session, sees it on the page, and the drill leader sees it on the check-in page; a second member's
page shows nothing of the first; the first withdraws it; a revoked token and a guessed one get 404;
the server log holds neither the token nor the reason. The database is read to check the notice
and its trail (source member).

    python3 scripts/absence-page-test.py --bin .build/debug/drillcal --town DIR --port 8098

Needs Debian's chromium and chromium-driver; selenium comes from the venv of checkin-offline-test.py.
Exit 0 and a closing "N passed, 0 failed" line when every check holds.
"""
import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "offline", os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkin-offline-test.py"))
offline = importlib.util.module_from_spec(spec)
sys.argv_saved = list(sys.argv)
spec.loader.exec_module(offline)  # installs selenium into its venv (re-executing this script) if missing

from selenium.webdriver.common.by import By  # noqa: E402

passed = 0
failed = 0
REASON = "外出务工，去广东"


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what)


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--town", required=True)
    parser.add_argument("--port", type=int, default=8098)
    args = parser.parse_args()
    base = "http://127.0.0.1:%d" % args.port
    db = os.path.join(args.town, "drillcal.sqlite")

    def page_link(member):
        out = run(args.bin, "token", "issue", args.town, member, "--public-url", base)
        return next(line for line in out.splitlines() if line.startswith(base + "/me/"))

    first, second = page_link("m048"), page_link("m049")
    log = tempfile.NamedTemporaryFile(prefix="drillcal-absence-", suffix=".log", delete=False)
    server = subprocess.Popen([args.bin, "serve", args.town, "--port", str(args.port), "--public-url", base],
                              stdout=log, stderr=log, start_new_session=True)
    driver = None
    try:
        deadline = time.time() + 60
        while status_of(base + "/healthz") != 200:
            if time.time() > deadline or server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.3)
        driver = offline.webdriver.Chrome(service=offline.Service("/usr/bin/chromedriver"),
                                          options=offline_options())
        driver.set_window_size(390, 844)  # a phone

        # 1. Report.
        driver.get(first)
        items = driver.find_elements(By.CSS_SELECTOR, "#sessions li")
        check(len(items) > 0, "the member's page lists their coming sessions (%d)" % len(items))
        check("李冬生" in driver.find_element(By.TAG_NAME, "h1").text, "the page names the member")
        uid = items[0].get_attribute("data-uid")
        items[0].find_element(By.NAME, "reason").send_keys(REASON)
        items[0].find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        time.sleep(0.5)
        item = driver.find_element(By.CSS_SELECTOR, '#sessions li[data-uid="%s"]' % uid)
        check("已请假" in item.text and REASON in item.text, "after 我不能参加 the page shows the notice")
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT member_id, reason FROM absence_notice WHERE session_uid = ?", (uid,)).fetchall()
            trail = con.execute("SELECT action, source FROM absence_notice_log WHERE session_uid = ? AND member_id = 'm048'",
                                (uid,)).fetchall()
        check(rows == [("m048", REASON)], "the store holds the notice: %s" % rows)
        check(trail == [("report", "member")], "the trail has the report, source member: %s" % trail)

        # 2. The leader sees it on the check-in page.
        code = run(args.bin, "code", "issue", args.town, uid).splitlines()[0]
        driver.get(base + "/checkin/" + uid)
        driver.find_element(By.ID, "code").send_keys(code)
        driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        time.sleep(0.5)
        row = driver.find_element(By.CSS_SELECTOR, 'li.member[data-member="m048"]')
        check("本人已请假" in row.text and REASON in row.text, "the leader's page shows the notice on the member's row")

        # 3. Another member's page shows nothing of it, and its own actions touch only its member.
        driver.get(second)
        check(REASON not in driver.page_source and "李冬生" not in driver.page_source,
              "the second member's page shows nothing of the first")
        other = driver.find_elements(By.CSS_SELECTOR, '#sessions li[data-uid="%s"]' % uid)
        if other:
            other[0].find_element(By.NAME, "reason").send_keys("生病")
            other[0].find_element(By.CSS_SELECTOR, "input[type=submit]").click()
            time.sleep(0.5)
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT member_id, reason FROM absence_notice WHERE session_uid = ? ORDER BY member_id",
                               (uid,)).fetchall()
        check(("m048", REASON) in rows and all(r[0] in ("m048", "m049") for r in rows),
              "the second member's notice is their own; the first one's is unchanged: %s" % rows)

        # 4. Withdraw.
        driver.get(first)
        item = driver.find_element(By.CSS_SELECTOR, '#sessions li[data-uid="%s"]' % uid)
        item.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        time.sleep(0.5)
        item = driver.find_element(By.CSS_SELECTOR, '#sessions li[data-uid="%s"]' % uid)
        check("已请假" not in item.text and item.find_elements(By.NAME, "reason"), "withdrawn: the form is back")
        with sqlite3.connect(db) as con:
            left = con.execute("SELECT count(*) FROM absence_notice WHERE session_uid = ? AND member_id = 'm048'",
                               (uid,)).fetchone()[0]
            trail = [r[0] for r in con.execute(
                "SELECT action FROM absence_notice_log WHERE session_uid = ? AND member_id = 'm048' ORDER BY id", (uid,))]
        check(left == 0 and trail == ["report", "withdraw"], "the store dropped it and kept the trail: %s" % trail)

        # 5. Revoked and guessed tokens.
        run(args.bin, "token", "revoke", args.town, "m048")
        check(status_of(first) == 404, "a revoked token's page is 404")
        driver.get(first)
        check("李冬生" not in driver.page_source, "Chromium shows nothing of the member behind a revoked token")
        check(status_of(base + "/me/" + "A" * 43) == 404, "a guessed token is 404")
        check(status_of(second) == 200, "the other member's page still works")
    finally:
        if driver:
            driver.quit()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        log.close()
    text = open(log.name, encoding="utf-8", errors="replace").read()
    token = first.rsplit("/", 1)[1]
    check(token not in text and REASON not in text and "/me/REDACTED" in text,
          "the server log has neither the token nor the reason (paths show /me/REDACTED)")
    os.unlink(log.name)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def offline_options():
    options = offline.webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(flag)
    return options


if __name__ == "__main__":
    main()
