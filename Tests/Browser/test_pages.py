#!/usr/bin/env python3
"""Browser test of CurePath's server-rendered pages, in headless Chromium.

Run by scripts/test against a server it starts with demo data; by hand:

    CUREPATH_BASE_URL=http://127.0.0.1:8080 python3 Tests/Browser/test_pages.py

Environment:
    CUREPATH_BASE_URL        the running server (required)
    CUREPATH_CHROMIUM        the Chromium binary (default: chromium or chromium-browser on PATH)
    CUREPATH_CHROMEDRIVER    chromedriver (default: chromedriver on PATH)
    CUREPATH_SCREENSHOT_DIR  where failures leave a screenshot and the page source
                             (default: a new temp dir, printed on failure)
    CUREPATH_BROWSER_HEADED  set to 1 to watch the browser instead of running headless

The page contract under test:
    /network      h1 "Network"; table#bottlenecks; table#intervals; inline svg#distribution-chart;
                  form#filters (center, payer, product selects); a center filter adds ?center=
                  and shows #case-count as a number
    /cases        table#cases with a.case-link in each row's first cell; form#filters with
                  select[name=status]; status "lost" keeps only td.status "lost" rows;
                  a#next-page when more rows exist
    /cases/<id>   h1 with the case id; svg#timeline with g.stage[data-stage] and .critical;
                  table#stages; form#record-event (POST: stage, kind, date, reason,
                  atRiskOverride); an invalid event shows .error and leaves #stages alone;
                  a valid event appears in table#events
    /prior-authorizations  h1; #open-count, #overdue-count, #due-soon-count numbers; table#queue with
                  a.request-link and td.clock; form.filters select[name=clock]
    /prior-authorizations/<id>  #status; table#history; svg#decision-clock (role=img) once submitted;
                  a link to the patient's evaluation
    /patients/<id>/evaluation   h1 "… against every payer"; table#verdicts with table#pretest-plan, or #no-candidates
    /patients/<id>/clinical-facts  form#facts with table#labs rows of inputs; a bad value shows .error naming the field
    /ledger       h1 "Ledger"; #balanced "Balanced"; table#trial-balance; table#runs; either
                  #ledger-empty ("Nothing posted yet") or svg#balance-chart (role=img, aria-label)
                  with g.series lines and table#parties a.statement-link to each statement
"""

import datetime
import os
import re
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE_URL = os.environ.get("CUREPATH_BASE_URL", "").rstrip("/")
WAIT_SECONDS = 15
SUBMIT = "button[type=submit], input[type=submit], button:not([type])"

_driver = None
_screenshot_dir = None


def driver():
    return _driver


def setUpModule():
    global _driver
    if not BASE_URL:
        raise unittest.SkipTest("CUREPATH_BASE_URL is not set")
    chromium = os.environ.get("CUREPATH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = os.environ.get("CUREPATH_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not chromedriver:
        raise RuntimeError("chromium and chromedriver must be installed (or set CUREPATH_CHROMIUM / CUREPATH_CHROMEDRIVER)")
    options = Options()
    # Both paths given, so Selenium Manager never tries to download a browser or driver.
    options.binary_location = chromium
    if os.environ.get("CUREPATH_BROWSER_HEADED") != "1":
        options.add_argument("--headless=new")
    for argument in ("--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1024",
                     "--lang=en-US", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    _driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    _driver.set_page_load_timeout(60)


def tearDownModule():
    if _driver is not None:
        _driver.quit()


def screenshot_dir():
    global _screenshot_dir
    if _screenshot_dir is None:
        _screenshot_dir = os.environ.get("CUREPATH_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="curepath-screenshots.")
        os.makedirs(_screenshot_dir, exist_ok=True)
    return _screenshot_dir


DEMO_PASSWORD = "curepath-demo-password"


class PageTestCase(unittest.TestCase):
    """Helpers over the shared browser, signed in as a demo user (the mediator's operator,
    who reads every case; classes that record events sign in as the center's coordinator)."""

    EMAIL = "operator@mediator.demo"

    def setUp(self):
        self.sign_in(self.EMAIL)

    def sign_in(self, email):
        self.open("/sign-in")
        form = self.find("form#sign-in")
        form.find_element(By.NAME, "email").send_keys(email)
        form.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
        self.submit(form)
        self.assertNotIn("/sign-in", urllib.parse.urlparse(self.d.current_url).path, f"signing in as {email} failed")

    @property
    def d(self):
        return driver()

    def wait(self, seconds=WAIT_SECONDS):
        return WebDriverWait(self.d, seconds)

    def open(self, path):
        self.d.get(BASE_URL + path)
        self.wait().until(lambda d: d.execute_script("return document.readyState") == "complete")

    def find(self, css, within=None, what=None):
        """Waits for one element; fails with a readable message when it never appears."""
        scope = within or self.d
        try:
            return self.wait().until(lambda _: scope.find_element(By.CSS_SELECTOR, css))
        except TimeoutException:
            self.fail(f"{what or css!r} not found on {self.d.current_url}")

    def find_all(self, css, within=None):
        return (within or self.d).find_elements(By.CSS_SELECTOR, css)

    def has(self, css, within=None):
        return len(self.find_all(css, within)) > 0

    def submit(self, form):
        """Clicks the form's submit button and waits for the next page to load."""
        buttons = self.find_all(SUBMIT, form)
        self.assertTrue(buttons, f"form#{form.get_attribute('id')} has no submit button")
        old_html = self.d.find_element(By.TAG_NAME, "html")
        buttons[0].click()

        def replaced(_):
            # Chromium sometimes reports a replaced document as "node does not belong to the
            # document" (a WebDriverException) instead of a stale element: both mean the
            # old page is gone.
            try:
                old_html.is_enabled()
                return False
            except WebDriverException:
                return True

        try:
            self.wait().until(replaced)
        except TimeoutException:
            self.fail(f"submitting form#{form.get_attribute('id')} did not load a new page")
        self.wait().until(lambda d: d.execute_script("return document.readyState") == "complete")

    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlparse(self.d.current_url).query)

    def table_rows(self, table_css):
        table = self.find(table_css)
        self.assertEqual(table.tag_name.lower(), "table", f"{table_css} is not a <table>")
        return self.find_all("tbody tr", table)

    def select_values(self, select_element):
        return [o.get_attribute("value") for o in Select(select_element).options]

    def case_links(self, path="/cases"):
        self.open(path)
        links = []
        for row in self.table_rows("table#cases"):
            cells = self.find_all("td, th", row)
            if not cells:
                continue
            anchors = self.find_all("a.case-link", cells[0])
            self.assertTrue(anchors, f"a row of #cases has no a.case-link in its first cell: {row.text!r}")
            links.append(anchors[0].get_attribute("href"))
        return links

    @staticmethod
    def case_id_from(href):
        path = urllib.parse.urlparse(href).path
        match = re.fullmatch(r"/cases/([^/]+)/?", path)
        if not match:
            raise AssertionError(f"case link {href!r} is not /cases/<id>")
        return urllib.parse.unquote(match.group(1))


class NetworkPageTests(PageTestCase):
    def test_network_page_shows_bottlenecks_intervals_and_distribution(self):
        self.open("/network")
        self.assertIn("Network", self.find("h1").text)

        rows = self.table_rows("table#bottlenecks")
        self.assertGreater(len(rows), 0, "#bottlenecks has no rows")
        for row in rows:
            first = self.find_all("td, th", row)
            self.assertTrue(first and first[0].text.strip(), f"a #bottlenecks row has no stage name: {row.text!r}")

        self.table_rows("table#intervals")
        chart = self.find("svg#distribution-chart")
        self.assertEqual(chart.tag_name.lower(), "svg", "#distribution-chart must be an inline <svg>")
        self.assertTrue(self.has("*", chart), "svg#distribution-chart is empty")

        form = self.find("form#filters")
        for name in ("center", "payer", "product"):
            select = self.find(f"select[name={name}]", form, what=f"select[name={name}] in form#filters")
            self.assertGreater(len(Select(select).options), 1, f"select[name={name}] offers no choice")
        self.assertTrue(self.has(SUBMIT, form), "form#filters has no submit button")

    def test_network_center_filter_reloads_with_case_count(self):
        self.open("/network")
        unfiltered = self.find_all("#case-count")
        unfiltered_count = parse_count(unfiltered[0].text) if unfiltered else None

        form = self.find("form#filters")
        select = Select(self.find("select[name=center]", form))
        values = [v for v in (o.get_attribute("value") for o in select.options) if v]
        self.assertTrue(values, "select[name=center] has no center to choose")
        center = values[0]
        select.select_by_value(center)
        self.submit(form)

        self.assertEqual(self.query().get("center"), [center], f"URL after filtering: {self.d.current_url}")
        count_text = self.find("#case-count").text.strip()
        count = parse_count(count_text)
        self.assertIsNotNone(count, f"#case-count is not a number: {count_text!r}")
        if unfiltered_count is not None:
            self.assertLessEqual(count, unfiltered_count, "one center has more cases than the whole network")
        self.assertIn("Network", self.find("h1").text)
        self.table_rows("table#bottlenecks")


class CasesPageTests(PageTestCase):
    def test_cases_table_links_every_case(self):
        links = self.case_links("/cases")
        self.assertGreater(len(links), 0, "#cases has no rows")
        for href in links:
            self.case_id_from(href)
        form = self.find("form#filters")
        statuses = self.select_values(self.find("select[name=status]", form))
        for status in ("open", "infused", "lost"):
            self.assertIn(status, statuses, f"select[name=status] lacks {status!r}")

    def test_status_filter_lost_shows_only_lost_cases(self):
        self.open("/cases")
        form = self.find("form#filters")
        Select(self.find("select[name=status]", form)).select_by_value("lost")
        self.submit(form)
        self.assertEqual(self.query().get("status"), ["lost"], f"URL after filtering: {self.d.current_url}")
        rows = self.table_rows("table#cases")
        self.assertGreater(len(rows), 0, "no lost cases in the demo data (expected some)")
        for row in rows:
            status = self.find_all("td.status", row)
            self.assertTrue(status, f"a #cases row has no td.status: {row.text!r}")
            self.assertEqual(status[0].text.strip().lower(), "lost", f"row not lost: {row.text!r}")

    def test_next_page_shows_other_cases(self):
        first_page = self.case_links("/cases")
        nexts = self.find_all("a#next-page")
        if not nexts:
            self.skipTest(f"no a#next-page: all {len(first_page)} cases fit on one page")
        old_html = self.d.find_element(By.TAG_NAME, "html")
        nexts[0].click()
        self.wait().until(EC.staleness_of(old_html))
        second_page = [a.get_attribute("href") for a in self.find_all("table#cases tbody tr a.case-link")]
        self.assertGreater(len(second_page), 0, "the next page of #cases is empty")
        self.assertFalse(set(first_page) & set(second_page), "the next page repeats cases from the first")


class CaseDetailPageTests(PageTestCase):
    EMAIL = "coordinator@center.demo"

    def open_case(self, status):
        links = self.case_links(f"/cases?status={status}")
        if not links:
            self.fail(f"no {status} case in /cases?status={status}")
        case_id = self.case_id_from(links[0])
        self.open(urllib.parse.urlparse(links[0]).path)
        self.assertIn(case_id, self.find("h1").text, "the case page's <h1> does not name the case")
        return case_id

    def started_stages(self):
        timeline = self.find("svg#timeline")
        return [g.get_attribute("data-stage") for g in self.find_all("g.stage", timeline)]

    def record_event_form(self):
        form = self.find("form#record-event")
        self.assertEqual((form.get_attribute("method") or "").lower(), "post", "form#record-event must POST")
        return form

    def fill_event(self, stage, kind, reason=""):
        form = self.record_event_form()
        Select(self.find("select[name=stage]", form)).select_by_value(stage)
        kind_select = Select(self.find("select[name=kind]", form))
        self.assertIn(kind, [o.get_attribute("value") for o in kind_select.options],
                      f"select[name=kind] lacks {kind!r}")
        kind_select.select_by_value(kind)
        date = self.find("input[name=date]", form)
        if not date.get_attribute("value"):
            # Typing into a date input depends on the browser's locale: set the value instead.
            self.d.execute_script("arguments[0].value = arguments[1]", date, datetime.date.today().isoformat())
        reason_field = self.find("[name=reason]", form)
        reason_field.clear()
        if reason:
            reason_field.send_keys(reason)
        return form

    def events_text(self):
        tables = self.find_all("table#events")
        return tables[0].text if tables else ""

    def event_rows(self):
        return len(self.find_all("table#events tbody tr"))

    def test_infused_case_shows_timeline_with_critical_path(self):
        self.open_case("infused")
        timeline = self.find("svg#timeline")
        self.assertEqual(timeline.tag_name.lower(), "svg")
        stages = self.started_stages()
        self.assertGreater(len(stages), 0, "svg#timeline has no g.stage")
        self.assertTrue(all(stages), "a g.stage has no data-stage")
        self.assertEqual(len(stages), len(set(stages)), f"a stage appears twice in the timeline: {stages}")
        self.assertTrue(self.has(".critical", timeline), "an infused case has no .critical stage on its timeline")
        self.table_rows("table#stages")

        form = self.record_event_form()
        for css in ("select[name=stage]", "select[name=kind]", "input[name=date]", "[name=reason]",
                    "[name=atRiskOverride]"):
            self.find(css, form, what=f"{css} in form#record-event")
        self.assertEqual(self.find("input[name=date]", form).get_attribute("type"), "date")
        self.assertTrue(self.has(SUBMIT, form), "form#record-event has no submit button")

    def test_invalid_event_is_refused_with_an_error(self):
        self.open_case("open")
        started = set(self.started_stages())
        form = self.record_event_form()
        stage_select = Select(self.find("select[name=stage]", form))
        not_started = [(o.get_attribute("value"), o.text.strip()) for o in stage_select.options
                       if o.get_attribute("value") and o.get_attribute("value") not in started]
        self.assertTrue(not_started, f"an open case with every stage started: {sorted(started)}")
        stage, label = not_started[-1]
        stages_before = self.find("table#stages").text
        events_before = self.event_rows()

        form = self.fill_event(stage, "completed")
        self.submit(form)

        errors = [e.text.strip() for e in self.find_all(".error") if e.text.strip()]
        self.assertTrue(errors, "completing a stage that never started showed no .error")
        message = " ".join(errors).lower()
        self.assertTrue(stage.lower() in message or label.lower() in message or "start" in message,
                        f".error does not name the problem (stage {stage!r} not started): {errors}")
        self.assertEqual(self.find("table#stages").text, stages_before, "a refused event changed #stages")
        self.assertEqual(self.event_rows(), events_before, "a refused event was added to #events")

    def test_valid_event_appears_in_events(self):
        self.open_case("open")
        case_path = urllib.parse.urlparse(self.d.current_url).path
        started = self.started_stages()
        self.assertTrue(started, "an open case with no started stage")
        reason = f"Awaiting payer documents (browser test {int(time.time())})"
        refused = []
        # The latest started stage is the likeliest to be in progress; a stage an earlier run
        # blocked is unblocked instead, so the test also passes on a reused database.
        for stage in reversed(started):
            for kind in ("blocked", "unblocked"):
                self.open(case_path)
                events_before = self.event_rows()
                form = self.fill_event(stage, kind, reason if kind == "blocked" else "")
                self.submit(form)
                errors = [e.text.strip() for e in self.find_all(".error") if e.text.strip()]
                if errors:
                    refused.append(f"{stage} {kind}: {errors}")
                    continue
                events = self.find("table#events")
                if kind == "blocked":
                    self.assertIn(reason, events.text, f"the recorded event is not in #events (stage {stage})")
                self.assertEqual(self.event_rows(), events_before + 1, "#events did not gain exactly one row")
                self.open(case_path)
                self.assertEqual(self.event_rows(), events_before + 1, "the recorded event is gone after reloading the case")
                return
        self.fail(f"no started stage accepted a 'blocked' or 'unblocked' event: {refused}")


class LedgerPageTests(PageTestCase):
    """The mediator's ledger page; the demo ledger may hold nothing until a settlement runs,
    and the page must say so rather than fail."""

    def test_ledger_page_shows_chart_or_empty_state(self):
        self.open("/ledger")
        self.assertIn("Ledger", self.find("h1").text)
        self.assertIn("Balanced", self.find("#balanced").text, "the trial balance of the demo ledger does not balance")
        self.table_rows("table#trial-balance")
        self.table_rows("table#runs")
        if self.has("#ledger-empty"):
            self.assertIn("nothing posted yet", self.find("#ledger-empty").text.lower())
            self.assertFalse(self.has("svg#balance-chart"), "an empty ledger drew a balance chart")
            return
        chart = self.find("svg#balance-chart")
        self.assertEqual(chart.tag_name.lower(), "svg", "#balance-chart must be an inline <svg>")
        self.assertEqual(chart.get_attribute("role"), "img")
        self.assertTrue(chart.get_attribute("aria-label"), "svg#balance-chart has no aria-label")
        self.assertTrue(self.has("g.series path", chart), "svg#balance-chart draws no line")
        links = self.find_all("table#parties a.statement-link")
        self.assertTrue(links, "no party links to its statement")
        self.open(urllib.parse.urlparse(links[0].get_attribute("href")).path)
        self.assertIn("Statement", self.find("h1").text)
        self.table_rows("table#lines")


class PriorAuthorizationPageTests(PageTestCase):
    """The center's PA work queue, a request with its clock, the patient's evaluation against
    every payer, and the clinical-facts form refusing a bad value by field."""

    EMAIL = "coordinator@center.demo"

    def first_request(self):
        for query in ("", "?status=approved", "?status=denied", "?status=withdrawn"):
            self.open("/prior-authorizations" + query)
            links = [a.get_attribute("href") for a in self.find_all("table#queue a.request-link")]
            if links:
                return links[0]
        self.fail("the center's work queue lists no request in any status")

    def test_queue_lists_requests_with_counts_and_clocks(self):
        self.open("/prior-authorizations")
        self.assertIn("Prior authorizations", self.find("h1").text)
        for css in ("#open-count", "#overdue-count", "#due-soon-count"):
            self.assertIsNotNone(parse_count(self.find(css).text), f"{css} is not a number")
        self.find("table#queue")
        Select(self.find("select[name=clock]")).select_by_value("overdue")
        self.submit(self.find("form.filters"))
        self.assertIn("clock=overdue", self.d.current_url)
        for cell in self.find_all("table#queue td.clock"):
            self.assertIn("overdue", cell.get_attribute("class"), "the overdue filter shows a request that is not overdue")

    def test_request_page_and_patient_evaluation(self):
        self.open(urllib.parse.urlparse(self.first_request()).path)
        self.assertIn("Prior authorization", self.find("h1").text)
        self.assertTrue(self.find("#status").text.strip())
        self.table_rows("table#history")
        if self.find("#status").text.strip() != "draft":
            clock = self.find("svg#decision-clock")
            self.assertEqual(clock.get_attribute("role"), "img")
        evaluation = [a.get_attribute("href") for a in self.find_all("a") if "/evaluation" in (a.get_attribute("href") or "")]
        self.assertTrue(evaluation, "the request page does not link to the patient's evaluation")
        self.open(urllib.parse.urlparse(evaluation[0]).path)
        self.assertIn("against every payer", self.find("h1").text)
        self.assertTrue(self.has("table#verdicts") or self.has("#no-candidates"),
                        "the evaluation page shows neither verdicts nor why there are none")
        if self.has("table#verdicts"):
            self.table_rows("table#pretest-plan")

    def test_facts_form_refuses_a_bad_value_by_field(self):
        self.open(urllib.parse.urlparse(self.first_request()).path)
        patient_links = [a.get_attribute("href") for a in self.find_all("a") if "/evaluation" in (a.get_attribute("href") or "")]
        facts_path = urllib.parse.urlparse(patient_links[0]).path.replace("/evaluation", "/clinical-facts")
        self.open(facts_path)
        form = self.find("form#facts")
        rows = self.find_all("table#labs tbody tr")
        self.assertTrue(rows, "the facts form has no lab rows")
        blank = rows[-1]
        inputs = {i.get_attribute("name").split(".")[-1]: i for i in self.find_all("input", blank)}
        inputs["code"].send_keys("lvef")
        inputs["value"].send_keys("fifty")
        inputs["date"].send_keys("2026-11-01")
        self.submit(form)
        errors = " ".join(e.text for e in self.find_all(".error"))
        self.assertIn("is not a decimal number", errors, f"a bad lab value was not refused by field: {errors!r}")
        self.assertIn(".value", errors)


def parse_count(text):
    text = text.strip().replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else None


class ScreenshotResult(unittest.TextTestResult):
    """Saves a screenshot and the page source of every failing test."""

    def _capture(self, test):
        if _driver is None or not isinstance(test, unittest.TestCase):
            return
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", test.id())
        base = os.path.join(screenshot_dir(), name)
        try:
            _driver.save_screenshot(base + ".png")
            with open(base + ".html", "w", encoding="utf-8") as f:
                f.write(f"<!-- {_driver.current_url} -->\n{_driver.page_source}")
            self.stream.writeln(f"    screenshot: {base}.png (page at {_driver.current_url})")
        except Exception as error:  # the browser itself may be what failed
            self.stream.writeln(f"    (no screenshot: {error})")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._capture(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._capture(test)


def main():
    if not BASE_URL:
        print("CUREPATH_BASE_URL is not set (e.g. http://127.0.0.1:8080)", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    print(f"browser test against {BASE_URL}", flush=True)
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(verbosity=2, resultclass=ScreenshotResult, stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    if failed == 0 and passed == 0:
        failed = 1  # nothing ran: never report success
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
