#!/usr/bin/python3
"""The web office in a real browser: Debian's chromium, headless, at a phone's size, driven by
selenium against the real `jifen serve` on a free port over a real ledger built with the CLI.

  1. a scorer signs in and records an award with a photo (found by pinyin initials);
  2. the clerk approves it and posts the month;
  3. a villager opens the household's card link (from `jifen cards`) and objects to the record;
  4. the clerk upholds the objection;
  5. the card page and the public board change, and the CLI's `score` and `verify` agree with
     what the pages show;
  6. the office PC at 1280 px; the clerk adds a person, choosing 身份 and the household from lists;
     on the phone the clerk takes an objection at the office, choosing household and record;
  7. at a clean-up day the scorer scans three households' cards in a row: one tap, one award
     each, the activity's item remembered from card to card.

Usage: e2e.py PATH/TO/jifen [SCREENSHOT_DIR]. Exits non-zero naming the step that failed.
"""
import base64
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def click_and_wait(driver, element):
    """Clicks a button that submits a form, and waits until the page it leads to has loaded (on a
    loaded machine the old page would otherwise still be there when the next step looks)."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def gone(_):
        # Chrome may say the old page's node "does not belong to the document" rather than that it
        # is stale while the next page replaces it; both mean it has gone.
        try:
            return expected_conditions.staleness_of(old)(driver)
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise

    WebDriverWait(driver, 30).until(gone)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

JIFEN = os.path.abspath(sys.argv[1])
SHOTS = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None

# A 1x1 JPEG: a real photo file, small enough to keep in the test.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////"
    "////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")

RULES = """village E "浏览器村" {
  review by "村两委"
  notice 5 days
}
category A "好事" {
  item A1 "见义勇为" +5 per person, evidence
  item A2 "门前三包" +3 per household
}
"""


def run(*args, ok=True):
    r = subprocess.run([JIFEN, *args], capture_output=True, text=True, timeout=120)
    if ok and r.returncode != 0:
        raise SystemExit(f"jifen {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, width, height):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  f"--window-size={width},{height}", "--lang=zh-CN"):
            options.add_argument(a)
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.d.set_page_load_timeout(30)

    def shot(self, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            # The whole page, not just the window: widen the window to the page's height.
            height = self.d.execute_script("return document.documentElement.scrollHeight")
            width = self.d.execute_script("return window.innerWidth")
            self.d.set_window_size(width, min(max(height + 140, 800), 4000))
            self.d.save_screenshot(os.path.join(SHOTS, name + ".png"))

    def quit(self):
        self.d.quit()


def main():
    work = tempfile.mkdtemp(prefix="jifen-e2e-")
    server = None
    browsers = []
    try:
        ledger = os.path.join(work, "ledger")
        today = datetime.date.today()
        last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
        period = last_month_end.strftime("%Y-%m")
        award_day = last_month_end.replace(day=15).isoformat()
        with open(os.path.join(work, "e.rules"), "w") as f:
            f.write(RULES)
        run("rules", "adopt", os.path.join(work, "e.rules"), "--effective", "2024-01-01",
            "--approved-by", "村民代表大会", "--ledger", ledger)
        roster = [
            {"type": "household", "village": "E", "household": "H1", "name": "张家", "since": "2024-01-01", "shares": 1},
            {"type": "household", "village": "E", "household": "H2", "name": "李家", "since": "2024-01-01", "shares": 1},
            {"type": "person", "village": "E", "person": "P1", "name": "张三", "household": "H1", "since": "2024-01-01", "resident": "villager"},
            {"type": "person", "village": "E", "person": "P2", "name": "李四", "household": "H2", "since": "2024-01-01", "resident": "villager"},
            {"type": "household", "village": "E", "household": "H3", "name": "王家", "since": "2024-01-01", "shares": 1},
            {"type": "person", "village": "E", "person": "P3", "name": "王五", "household": "H3", "since": "2024-01-01", "resident": "villager"},
            {"type": "scorer", "village": "E", "scorer": "S1", "name": "王网格", "role": "网格员"},
            {"type": "scorer", "village": "E", "scorer": "S2", "name": "赵文书", "role": "村两委"},
            {"type": "award", "id": "E-0", "village": "E", "date": award_day, "subject": "H2", "item": "A2", "scorer": "S2"},
        ]
        with open(os.path.join(work, "roster.jsonl"), "w") as f:
            f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in roster))
        run("import", os.path.join(work, "roster.jsonl"), "--ledger", ledger)
        with open(os.path.join(work, "pw"), "w") as f:
            f.write("e2e-password\n")
        run("user", "add", "wang", "--role", "scorer", "--village", "E", "--scorer", "S1",
            "--password-file", os.path.join(work, "pw"), "--ledger", ledger)
        run("user", "add", "zhao", "--role", "clerk", "--village", "E", "--scorer", "S2",
            "--password-file", os.path.join(work, "pw"), "--ledger", ledger)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([JIFEN, "serve", "--ledger", ledger, "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("jifen serve did not start: " + server.stderr.read().decode())
        photo = os.path.join(work, "现场.jpg")
        with open(photo, "wb") as f:
            f.write(JPEG)

        def sign_in(b, name):
            b.d.get(base + "/login")
            b.d.find_element(By.NAME, "name").send_keys(name)
            b.d.find_element(By.NAME, "password").send_keys("e2e-password")
            b.d.find_element(By.CSS_SELECTOR, "form[action^='/login'] button").click()
            try:  # the sign-in's redirect home, before the next page is asked for
                WebDriverWait(b.d, 15).until(lambda d: "/login" not in d.current_url)
            except Exception:
                raise SystemExit(f"step: {name} could not sign in")

        # 1. The scorer, on a phone, finds 张三 by pinyin and records with a photo.
        scorer = Browser(360, 800)
        browsers.append(scorer)
        sign_in(scorer, "wang")
        scorer.d.get(base + "/record?q=zs")
        Select(scorer.d.find_element(By.NAME, "subject")).select_by_value("P1")
        Select(scorer.d.find_element(By.NAME, "item")).select_by_value("A1")
        date = scorer.d.find_element(By.NAME, "date")
        scorer.d.execute_script("arguments[0].value = arguments[1]", date, award_day)
        scorer.d.find_element(By.NAME, "reason").send_keys("河边救起落水儿童")
        scorer.d.find_element(By.NAME, "photos").send_keys(photo)
        scorer.shot("1-record-form")
        click_and_wait(scorer.d, scorer.d.find_element(By.CSS_SELECTOR, "form[action^='/record'][enctype] button[type=submit]"))
        m = re.search(r"done=([^&#]+)", scorer.d.current_url)
        if not m:
            raise SystemExit("step 1: the award was not recorded: " + scorer.d.find_element(By.TAG_NAME, "main").text[:500])
        award = m.group(1)
        if "待审核" not in scorer.d.page_source:
            raise SystemExit("step 1: the new entry is not shown as pending review")
        scorer.shot("1-recorded")

        # 2. The clerk approves it and posts the month.
        clerk = Browser(360, 800)
        browsers.append(clerk)
        sign_in(clerk, "zhao")
        clerk.d.get(base + "/review")
        clerk.shot("2-review")
        click_and_wait(clerk.d, clerk.d.find_element(
            By.XPATH, f"//form[starts-with(@action,'/review/approve')][input[@name='id' and @value='{award}']]//button"))
        if award in clerk.d.find_element(By.TAG_NAME, "main").text and "/review" in clerk.d.current_url and \
                clerk.d.find_elements(By.XPATH, f"//form[starts-with(@action,'/review/approve')][input[@value='{award}']]"):
            raise SystemExit("step 2: the entry is still in the review queue after approval")
        clerk.d.get(f"{base}/month/{period}")
        clerk.d.find_element(By.CSS_SELECTOR, f"form[action^='/month/{period}/post'] input[name='confirm']").click()
        click_and_wait(clerk.d, clerk.d.find_element(By.CSS_SELECTOR, f"form[action^='/month/{period}/post'] button"))
        clerk.d.get(f"{base}/month/{period}")
        if "公示" not in clerk.d.find_element(By.TAG_NAME, "main").text:
            raise SystemExit("step 2: the month does not show as posted")
        clerk.shot("2-posted")

        # 3. The villager opens the household's card and objects to the record.
        run("cards", "--village", "E", "--out", os.path.join(work, "cards.html"), "--base-url", base, "--ledger", ledger)
        with open(os.path.join(work, "cards.html"), encoding="utf-8") as f:
            card = re.search(r'href="(' + re.escape(base) + r'/h/E/H1/[0-9a-f]{64})"', f.read()).group(1)
        villager = Browser(360, 800)
        browsers.append(villager)
        villager.d.get(card)

        def earned_on_card():
            row = villager.d.find_element(By.CSS_SELECTOR, f"tr[data-period='{period}']")
            return row.find_elements(By.TAG_NAME, "td")[1].text

        before = earned_on_card()
        if before != "5":
            raise SystemExit(f"step 3: the card shows {before} points for {period}, expected 5")
        villager.shot("3-card")
        Select(villager.d.find_element(By.NAME, "target")).select_by_value(award)
        villager.d.find_element(By.NAME, "reason").send_keys("那天张三不在村里，救人的是别人")
        click_and_wait(villager.d, villager.d.find_element(By.CSS_SELECTOR, "form[action*='/object'] button[type=submit]"))
        if "收到" not in villager.d.page_source:
            raise SystemExit("step 3: the objection was not acknowledged")
        villager.shot("3-objected")

        # 4. The clerk upholds it.
        clerk.d.get(f"{base}/month/{period}")
        form = clerk.d.find_element(By.CSS_SELECTOR, f"form[action^='/month/{period}/rule']")
        form.find_element(By.CSS_SELECTOR, "input[name=decision][value=upheld]").click()
        form.find_element(By.NAME, "reason").send_keys("经核实，救人者另有其人")
        clerk.shot("4-ruling")
        click_and_wait(clerk.d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        clerk.shot("4-ruled")

        # 5. The pages change, and the CLI agrees with them.
        villager.d.get(card)
        after = earned_on_card()
        if after != "0":
            raise SystemExit(f"step 5: after the upheld objection the card shows {after}, expected 0")
        villager.shot("5-card-after")
        villager.d.get(f"{base}/v/E/board/{period}")
        board = {}
        for row in villager.d.find_elements(By.CSS_SELECTOR, "tr[data-household]"):
            board[row.get_attribute("data-household")] = row.find_elements(By.TAG_NAME, "td")[3].text
        villager.shot("5-board")
        score = json.loads(run("score", "--village", "E", "--period", period, "--format", "json", "--ledger", ledger).stdout)
        households = score["households"] if isinstance(score, dict) and "households" in score else score
        cli = {}
        for h in (households if isinstance(households, list) else households.values()):
            cli[h["household"]] = str(h["earned"])
        if board != cli or board.get("H1") != "0" or board.get("H2") != "3":
            raise SystemExit(f"step 5: the board {board} and the CLI's score {cli} disagree (expected H1 0, H2 3)")
        # The office PC: the same pages at 1280 px.
        desk = Browser(1280, 800)
        browsers.append(desk)
        sign_in(desk, "zhao")
        for path, name in ((f"/month/{period}", "6-desk-month"), ("/review", "6-desk-review"),
                           (f"/v/E/board/{period}", "6-desk-board"), ("/shop/H2", "6-desk-shop")):
            desk.d.get(base + path)
            if "找不到" in desk.d.title or desk.d.find_elements(By.CSS_SELECTOR, "main h1") == []:
                raise SystemExit(f"step 6: {path} did not open on the desktop")
            desk.shot(name)
        # 6b. The clerk adds a person: 身份 from its two words, the household from the list.
        desk.d.get(base + "/roster")
        form = desk.d.find_element(By.CSS_SELECTOR, "form[action^='/roster/person']")
        form.find_element(By.NAME, "code").send_keys("P9")
        form.find_element(By.NAME, "name").send_keys("赵六")
        if not desk.d.find_elements(By.CSS_SELECTOR, "datalist#household-list option[value='H3']"):
            raise SystemExit("step 6: the roster offers no list of households")
        form.find_element(By.NAME, "household").send_keys("H3")
        desk.d.execute_script("arguments[0].value = '2024-06-01'", form.find_element(By.NAME, "since"))
        Select(form.find_element(By.NAME, "resident")).select_by_visible_text("非村民")
        click_and_wait(desk.d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        desk.d.get(base + "/roster?q=P9")
        if "非村民" not in desk.d.find_element(By.TAG_NAME, "main").text:
            raise SystemExit("step 6: the new person's 身份 is not shown as 非村民")
        desk.shot("6-desk-roster")

        # 6c. On the phone, the clerk takes an objection brought to the office: the household is
        # chosen from a list, then one of its records of the month (nothing typed but words).
        clerk.d.get(f"{base}/month/{period}")
        chooser = clerk.d.find_element(By.XPATH, "//form[.//select[@name='object_household']]")
        Select(chooser.find_element(By.NAME, "object_household")).select_by_value("H2")
        click_and_wait(clerk.d, chooser.find_element(By.CSS_SELECTOR, "button"))
        form = clerk.d.find_element(By.CSS_SELECTOR, f"form[action^='/month/{period}/object']")
        choices = [o.get_attribute("value") for o in form.find_elements(By.CSS_SELECTOR, "select[name=target] option")]
        if "E-0" not in choices or "H2" not in choices or "H1" in choices:
            raise SystemExit(f"step 6c: the objection form offers {choices}, expected H2 and its record E-0 only")
        Select(form.find_element(By.NAME, "target")).select_by_value("E-0")
        form.find_element(By.NAME, "reason").send_keys("那天李四不在村里")
        form.find_element(By.NAME, "name").send_keys("李四（H2）")
        clerk.shot("4-object-form")
        click_and_wait(clerk.d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        if "done=objected" not in clerk.d.current_url:
            raise SystemExit("step 6c: the office's objection was not recorded: " + clerk.d.find_element(By.TAG_NAME, "main").text[:300])
        clerk.d.get(base + "/roster?q=" + "李家")
        if "李四" not in clerk.d.find_element(By.TAG_NAME, "main").text:
            raise SystemExit("step 6c: searching the roster for 李家 does not list its member 李四")
        clerk.shot("6-roster-search")

        # 7. A clean-up day: the scorer scans three households' cards, one tap each.
        with open(os.path.join(work, "cards.html"), encoding="utf-8") as f:
            cards = {h: path for path, h in
                     re.findall(r'href="' + re.escape(base) + r'(/h/E/(H[0-9])/[0-9a-f]{64})"', f.read())}
        before_scan = run("log", "--village", "E", "--ledger", ledger).stdout.count('"scorer":"S1"')
        for n, household in enumerate(("H1", "H2", "H3")):
            scorer.d.get(base + cards[household])
            panel = scorer.d.find_elements(By.CSS_SELECTOR, "#scan form")
            if not panel:
                raise SystemExit(f"step 7: the scorer sees no 为本户记分 on {household}'s card")
            item = Select(panel[0].find_element(By.NAME, "item"))
            if n == 0:
                item.select_by_value("A2")
            elif item.first_selected_option.get_attribute("value") != "A2":
                raise SystemExit(f"step 7: {household}'s card did not remember the activity's item")
            if n == 0:
                scorer.shot("7-scan-card")
            click_and_wait(scorer.d, panel[0].find_element(By.CSS_SELECTOR, f"button[name=subject][value={household}]"))
            if "已记上" not in scorer.d.find_element(By.TAG_NAME, "main").text:
                raise SystemExit(f"step 7: no word of the award after tapping {household}: " +
                                 scorer.d.find_element(By.TAG_NAME, "main").text[:300])
        scorer.shot("7-scan-done")
        after_scan = run("log", "--village", "E", "--ledger", ledger).stdout.count('"scorer":"S1"')
        if after_scan - before_scan != 3:
            raise SystemExit(f"step 7: three cards scanned made {after_scan - before_scan} awards, expected 3")
        villager.d.get(card)
        if "为本户记分" in villager.d.page_source:
            raise SystemExit("step 7: a villager's card shows the scorer's panel")
        verify = run("verify", "--ledger", ledger)
        if "1 evidence files" not in verify.stdout:
            raise SystemExit("step 5: verify did not check the photo: " + verify.stdout)
        print(f"e2e: ok: award {award} recorded with a photo, approved, posted, objected to, upheld; "
              f"board {board} = score; a person added with choices; three cards scanned, three awards; "
              f"{verify.stdout.strip()}")
    finally:
        for b in browsers:
            b.quit()
        if server:
            server.terminate()
            server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
