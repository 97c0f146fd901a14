"""README's walk-through on `make run`, in a real browser: a citizen writes, an officer finishes the service,
the citizen answers the survey in the chat, and the office head sees the answer in the dashboard, filters it
by unit and prints the IKM notice."""
from __future__ import annotations

import re

CITIZEN = "6281234567010"
OFFICER = "628001000001"  # the seed's officer of unit umum (the banner's "Officer")


def as_number(page, number: str) -> None:
    page.fill("#wa", number)
    page.dispatch_event("#wa", "change")
    page.locator("#log").wait_for(state="attached")


def settled(page, before: int):
    """The bot's last message once its answer to what was just sent has arrived (it may send several)."""
    page.locator(".msg.out").nth(before).wait_for()
    while True:
        count = page.locator(".msg.out").count()
        page.wait_for_timeout(1500)  # the page polls each second: a second message shows within that
        if page.locator(".msg.out").count() == count:
            return page.locator(".msg.out").last


def say(page, text: str):
    """Send `text` and return the bot's last answer (a locator)."""
    before = page.locator(".msg.out").count()
    page.fill("#text", text)
    page.click("#composer button")
    return settled(page, before)


def test_from_a_citizens_hello_to_the_answer_in_the_dashboard(watched, local_stack):
    assert any(line.startswith("Reports:") for line in local_stack.banner)
    page = watched.page
    page.goto(local_stack.chat)
    as_number(page, CITIZEN)
    say(page, "Halo")
    say(page, "Setuju")

    as_number(page, OFFICER)
    opened = say(page, "#layani 0812-3456-7010 Legalisir SK").inner_text()  # a service of the catalogue
    ticket = re.search(r"Tiket (\w+) dibuka", opened)[1]
    done = say(page, f"#selesai {ticket}").inner_text()
    assert "undangan survei dikirim ke warga" in done, done

    as_number(page, CITIZEN)
    invitation = page.locator(".msg.out", has_text="Isi survei").last
    invitation.wait_for()
    answer = say(page, "SURVEI")
    for _ in range(25):  # the in-chat survey: one question per message, answered by tapping an option
        if "jawaban survei Bapak/Ibu" in answer.inner_text():
            break
        options = answer.locator(".choices button")
        if options.count() == 0:  # a question answered in words (the suggestion): "-" is none
            answer = say(page, "-")
            continue
        before = page.locator(".msg.out").count()
        options.last.click()
        answer = settled(page, before)
    assert "jawaban survei Bapak/Ibu" in answer.inner_text(), answer.inner_text()

    page.goto(local_stack.signin)
    page.click("text=Kepala Kantor")
    page.wait_for_selector("form select[name=unit]")
    assert "Responden" in page.inner_text("body")
    page.select_option("select[name=unit]", "umum")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"unit=umum"))
    assert "Subbagian Tata Usaha" in page.inner_text("body")
    page.click("text=Cetak pengumuman IKM")
    page.wait_for_url(re.compile(r"/notice"))
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_the_local_sign_in_lists_the_seeded_staff_and_refuses_a_stranger(watched, local_stack):
    import requests

    page = watched.page
    page.goto(local_stack.signin)
    names = page.locator("li a").all_inner_texts()
    assert any("Kepala Kantor" in n for n in names) and any("Petugas PTSP 1" in n for n in names)
    assert requests.get(local_stack.signin + "_signin/as/mallory%40example.com%7Cadmin%7Ckemenag-bangkalan%7C",
                        timeout=30).status_code == 404


def test_outside_the_emulator_the_reports_refuse_the_local_identity(functions_client, jaring):
    import dataclasses

    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="", dev_identity_allowed=True)
    answer = functions_client("reports").get(
        "/", headers={"X-Jaring-Dev-Identity": "kepala.kantor@example.go.id|office_head|kemenag-bangkalan|"})
    assert answer.status_code == 401
