"""The projector view at 1920x1080 and 1280x720: every phase, live counts, keyboard driving."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import LAPTOP, PROJECTOR, PROJECTOR_720, eventually

FITS = """() => {
  const stage = document.getElementById('stage');
  const cols = ['stage-text', 'stage-answers'].map(id => document.getElementById(id));
  return stage.scrollHeight <= stage.clientHeight + 1 &&
    cols.every(n => !n.offsetParent || n.scrollHeight <= n.clientHeight + 1) &&
    document.documentElement.scrollWidth <= window.innerWidth;
}"""


SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"


def px(page, selector, prop="fontSize") -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).{prop})")


def test_the_projector_follows_every_phase_at_both_sizes(devices, api, phones):
    s = api.session()
    screens = {1920: devices("projector 1920", PROJECTOR), 1280: devices("projector 1280", PROJECTOR_720)}
    for size, d in screens.items():
        d.page.goto(s["screen_url"])
        expect(d.page.locator("#s-lobby")).to_be_visible()
        expect(d.page.locator("#conn")).to_have_attribute("data-state", "online")
        expect(d.page.locator("#lobby-code")).to_have_text(s["code"])
        expect(d.page.locator("#lobby-count")).to_have_text("0")
        assert d.page.evaluate("document.querySelector('.qr img').naturalWidth") > 0
        # The code is the biggest thing in the room: readable from the back.
        assert px(d.page, "#lobby-code") >= (200 if size == 1920 else 130)
        assert d.page.evaluate(FITS)
    big, small = screens[1920], screens[1280]
    big.axe("projector lobby")
    assert small.page.locator("#keys").count() == 0  # no shortcuts for an anonymous screen

    # Participants arrive: the count follows live.
    room = [phones.join(s["code"]) for _ in range(3)]
    for d in screens.values():
        expect(d.page.locator("#lobby-count")).to_have_text("3")
        expect(d.page.locator("#lobby-count-label")).to_have_text("deltagere er med")
    for size, d in screens.items():
        d.shot(f"projector-{size}-lobby")

    # A key press on a screen nobody is logged in to changes nothing.
    small.page.keyboard.press("ArrowRight")
    # A negative needs a window: poll for the wrong outcome for a moment, expect never to see it.
    assert not eventually(lambda: api.get(s["id"])["phase"] != "lobby", timeout=0.5)

    api.command(s["id"], "next")
    dilemma = api.get(s["id"])["dilemma"]
    for d in screens.values():
        page = d.page
        expect(page.locator("#s-dilemma")).to_be_visible()
        expect(page.locator("#d-title")).to_have_text(dilemma["title"])
        expect(page.locator("#phase-banner")).to_have_text("Afstemningen er åben")
        expect(page.locator("#d-options li")).to_have_count(len(dilemma["options"]))
        expect(page.locator("#answer-count")).to_have_text("0")
        expect(page.locator("#answer-of")).to_have_text("af 3 har svaret")
        expect(page.locator("#join-hint")).to_be_visible()  # latecomers can still join
    big.shot("projector-1920-voting-empty")

    phones.vote(room[0], dilemma["id"], dilemma["options"][0]["id"])
    phones.vote(room[1], dilemma["id"], dilemma["options"][0]["id"])
    for d in screens.values():
        expect(d.page.locator("#answer-count")).to_have_text("2")
        assert eventually(
            lambda d=d: d.page.evaluate("parseFloat(document.getElementById('meter-fill').style.width)") > 60
        )
        # Counts only: no result is shown before the reveal.
        expect(d.page.locator("#d-bars")).to_be_hidden()
        assert d.page.evaluate(FITS)
    phones.vote(room[2], dilemma["id"], dilemma["options"][1]["id"])
    for size, d in screens.items():
        expect(d.page.locator("#answer-count")).to_have_text("3")
        assert eventually(lambda d=d: d.page.evaluate(SETTLED))  # the count animation, before the picture
        d.shot(f"projector-{size}-voting")
    big.axe("projector voting")
    assert px(big.page, "#d-text") >= 24  # body text on a 1080p wall

    api.command(s["id"], "close")
    for size, d in screens.items():
        expect(d.page.locator("#phase-banner")).to_have_text("Afstemningen er lukket")
        d.shot(f"projector-{size}-closed")

    api.command(s["id"], "reveal")
    for size, d in screens.items():
        page = d.page
        expect(page.locator("#d-bars")).to_be_visible()
        expect(page.locator("#d-bars li")).to_have_count(len(dilemma["options"]))
        expect(page.locator("#d-bars li").nth(0).locator(".bar-num")).to_have_text("2 stemmer · 67 %")
        expect(page.locator("#d-bars li").nth(1).locator(".bar-num")).to_have_text("1 stemme · 33 %")
        expect(page.locator("#phase-banner")).to_have_text("Resultater")
        # The bars grow (animated) to their share.
        assert eventually(
            lambda page=page: (
                page.evaluate(
                    "document.querySelector('#d-bars li .bar-fill').getBoundingClientRect().width"
                    " / document.querySelector('#d-bars li .bar-track').getBoundingClientRect().width"
                )
                > 0.6
            )
        )
        assert eventually(lambda page=page: page.evaluate(SETTLED))
        assert page.evaluate(FITS)
        d.shot(f"projector-{size}-revealed")
    big.axe("projector revealed")

    # Every dilemma of the deck fits both screens without scrolling, in readable type.
    for _ in range(dilemma["count"] - 1):
        view = api.command(s["id"], "next")
        for size, d in screens.items():
            expect(d.page.locator("#d-title")).to_have_text(view["dilemma"]["title"])
            assert eventually(lambda d=d: d.page.evaluate(FITS)), f"dilemma {view['dilemma']['id']} overflows at {size}"
            assert px(d.page, "#d-text") >= (20 if size == 1920 else 14), view["dilemma"]["id"]
    small.shot("projector-1280-last-dilemma")

    api.command(s["id"], "end")
    for size, d in screens.items():
        expect(d.page.locator("#s-ended")).to_be_visible()
        d.shot(f"projector-{size}-ended")
    big.axe("projector ended")


def test_the_logged_in_facilitator_drives_the_projector_with_the_keyboard(devices, api):
    s = api.session()
    laptop = devices("projector laptop", {**LAPTOP, "viewport": {"width": 1280, "height": 720}})
    page = laptop.page
    laptop.login()
    page.goto(s["screen_url"])
    expect(page.locator("#keys")).to_be_visible()
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")

    page.keyboard.press("ArrowRight")
    expect(page.locator("#phase-banner")).to_have_text("Afstemningen er åben")
    page.keyboard.press("c")
    expect(page.locator("#phase-banner")).to_have_text("Afstemningen er lukket")
    page.keyboard.press("r")
    expect(page.locator("#phase-banner")).to_have_text("Resultater")
    expect(page.locator("#d-bars")).to_be_visible()
    count = api.deck_size("medarbejderrollen")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#progress")).to_have_text(f"Dilemma 2 af {count}")
    page.keyboard.press("R")
    expect(page.locator("#phase-banner")).to_have_text("Resultater")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#progress")).to_have_text(f"Dilemma 1 af {count}")
    assert api.get(s["id"])["phase"] == "revealed"

    # A step that does not fit now is explained on the screen, not sent twice or lost silently.
    page.keyboard.press("c")
    expect(page.locator("#toast")).to_have_text("Det trin passer ikke til, hvor sessionen er nu.")
    laptop.shot("projector-1280-owner-toast")

    page.keyboard.press("f")
    assert eventually(lambda: page.evaluate("!!document.fullscreenElement"), timeout=3)
    page.keyboard.press("F")
    assert eventually(lambda: page.evaluate("!document.fullscreenElement"), timeout=3)
