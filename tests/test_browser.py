"""The findings page and the explorer in a real browser: Debian's headless Chromium driven by
Selenium through chromium-driver (nothing is downloaded; `.ci/run` installs both). The pages
must render without a console error, a searched and clicked term must show its lines, and
hostile names must appear as text, never run. A screenshot of each page is kept in the test's
temporary folder.

Skipped, saying why, when no Chromium or chromium-driver is installed."""

from __future__ import annotations

import shutil

import pytest

from tests.test_explorer import HOSTILE, mini_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no browser: install Debian's chromium and chromium-driver "
    "(apt-get install -y chromium chromium-driver; .ci/run does)",
)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000",
                "--disable-dev-shm-usage"):  # fmt: skip
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory, tiny):
    folder, _, _ = mini_report(tmp_path_factory.mktemp("browser"), tiny)
    return folder


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def test_the_findings_page_renders_without_errors(browser, report):
    browser.get((report / "index.html").as_uri())
    text = browser.find_element("tag name", "body").text
    assert "The corpus" in text and "Terms" in text
    assert HOSTILE["North Herald"] in text and HOSTILE["South Ledger"] in text  # as text
    assert _errors(browser) == [] and _no_alert(browser)
    browser.save_screenshot(str(report / "index.png"))
    assert (report / "index.png").stat().st_size > 0


def test_searching_and_clicking_a_term_shows_its_lines(browser, report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((report / "explorer.html").as_uri())
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.__explorerReady"))
    assert browser.title == "framing explorer: <i>tiny</i>"  # escaped in the page, shown as is
    herald = HOSTILE["North Herald"]
    browser.find_element(By.XPATH, f"//div[@id='groups']/button[text()={_xpath(herald)}]").click()
    box = browser.find_element(By.ID, "q")
    box.send_keys("putin")
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tr")
    assert rows and all("putin" in r.text for r in rows)
    next(r for r in rows if r.find_element(By.TAG_NAME, "td").text == "putin").click()
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#kwic .line"))
    kwic = browser.find_element(By.ID, "kwic").text
    assert f"{herald} — 2 uses" in kwic  # "Vladimir Putin met him", "Putin said"
    assert "Putin met him at the Kremlin" in kwic.replace("\n", " ")
    assert HOSTILE["South Ledger"] + " — 1 use" in kwic  # "<i>said</i> Putin." as text
    # a line's link opens its sentence, with its article and offsets
    link = browser.find_element(By.CSS_SELECTOR, "#kwic .line a")
    link.click()
    shown = browser.find_element(By.CSS_SELECTOR, "#kwic .sentence:not(.hidden)").text
    # the first group (sorted) is South Ledger's: its article s1, its hostile title as text
    assert "article s1" in shown and "characters 68–73" in shown
    assert "<b onmouseover=alert(3)>Farm</b>" in shown
    assert "#term=putin" in browser.current_url
    assert _errors(browser) == [] and _no_alert(browser)
    browser.save_screenshot(str(report / "explorer.png"))
    # the other tabs work too
    browser.find_element(By.CSS_SELECTOR, "nav.tabs button[data-tab='actors']").click()
    browser.find_element(By.CSS_SELECTOR, "#arows tr").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#kwic .line")
    assert _errors(browser) == []


def _xpath(s: str) -> str:
    """A string literal for XPath (it has no escapes: split at quotes)."""
    if "'" not in s:
        return f"'{s}'"
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in s.split("'")) + ")"
