"""The local chat page (http://127.0.0.1:8090/ on `make run`) shows WhatsApp's messages as a phone does and
what a person does there reaches the bot: writing, tapping a button, tapping a template's quick reply."""
from __future__ import annotations

import re

from jaring.whatsapp import templates as wa_templates
from jaring.whatsapp.graph import GraphClient
from tests.support import meta
from tests.support.localstack import LOCAL_ENV

FORM_URL = wa_templates.FORMS_URL_BASE + "1FAIpQLSe-demo/viewform?usp=pp_url&entry.1=K7M2QX9AB4"


def open_chat(watched, local_stack, number: str):
    page = watched.page
    page.goto(local_stack.chat)
    page.fill("#wa", number)
    page.dispatch_event("#wa", "change")
    return page


def say(page, text: str) -> None:
    page.fill("#text", text)
    page.click("#composer button")


def test_a_citizen_writes_and_taps_a_button_and_the_bot_answers_each(watched, local_stack):
    page = open_chat(watched, local_stack, "6281234567001")
    say(page, "Halo")
    first = page.locator(".msg.out").first
    first.wait_for()
    assert "Kementerian Agama Kabupaten Bangkalan" in first.inner_text()
    say(page, "Setuju")  # nothing waits for an answer: the main menu again, a list
    choice = page.locator(".msg.out .choices button").first
    choice.wait_for()
    answers = page.locator(".msg.out").count()
    title = choice.inner_text().split(" — ")[0]
    choice.click()
    page.locator(".msg.in").nth(2).wait_for()
    assert page.locator(".msg.in .body").nth(2).inner_text() == "▸ " + title
    page.locator(".msg.out").nth(answers).wait_for()


def test_times_are_shown_in_wib_whatever_the_computers_time_zone(browser, local_stack):
    from tests.support.browser import Watched

    abroad = Watched.open(browser, locale="id-ID", timezone_id="Europe/Amsterdam")
    try:
        page = open_chat(abroad, local_stack, "6281234567002")
        say(page, "Halo")
        page.locator(".msg.out").first.wait_for()
        shown = page.locator(".msg.in .meta").first.inner_text()
        wib_now = page.evaluate("new Date().toLocaleTimeString('id-ID', {timeZone: 'Asia/Jakarta', hour: '2-digit', "
                                "minute: '2-digit'})")
        assert re.match(r"^\d\d[.:]\d\d WIB", shown) and shown.startswith(wib_now[:2])
        assert abroad.problems == []
    finally:
        abroad.close()


def test_a_template_shows_its_registered_text_with_the_parameters_and_working_buttons(watched, local_stack):
    citizen = "6281234567003"
    graph = GraphClient(local_stack.graph, LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"])  # as Jaring sends it
    page = open_chat(watched, local_stack, citizen)
    graph.send(meta.OFFICE_NUMBER_ID, citizen, wa_templates.content(
        wa_templates.INVITATION, "jaring_undangan_survei", "id",
        ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"], FORM_URL))
    bubble = page.locator(".msg.out.template").first
    bubble.wait_for()
    assert bubble.locator(".body").inner_text().startswith(
        "Terima kasih telah menggunakan layanan Legalisir Buku Nikah di PTSP Kemenag Bangkalan (kode K7M2QX9AB4).")
    assert "{{" not in bubble.inner_text()
    assert bubble.locator("a", has_text="Isi survei").get_attribute("href") == FORM_URL
    bubble.locator("button", has_text="Isi di WhatsApp").click()
    tapped = page.locator(".msg.in").first
    tapped.wait_for()
    assert tapped.locator(".body").inner_text() == "▸ Isi di WhatsApp"
    page.locator(".msg.out").nth(1).wait_for()  # the bot answered the tap


def test_whatsapp_markup_is_shown_as_bold_and_italics(watched, local_stack):
    citizen = "6281234567004"
    page = open_chat(watched, local_stack, citizen)
    GraphClient(local_stack.graph, LOCAL_ENV["WHATSAPP_ACCESS_TOKEN"]).send(
        meta.OFFICE_NUMBER_ID, citizen, {"type": "text", "text": {"body": "Tekan *Isi survei* atau _balas_ SURVEI."}})
    body = page.locator(".msg.out .body").first
    body.wait_for()
    assert body.locator("strong").inner_text() == "Isi survei" and body.locator("em").inner_text() == "balas"
    assert "*" not in body.inner_text()


def test_a_flow_invitation_opens_the_survey_as_a_form_and_sending_it_stores_one_answer(watched, local_stack):
    """A finished service on `make run`: the invitation is a WhatsApp Flow, the page shows its two screens as a
    form, and "Kirim" posts Meta's nfm_reply; the dashboard then counts the answer under "WhatsApp Flow"."""
    import requests

    citizen, officer = "6281234567005", "628001000001"
    page = open_chat(watched, local_stack, citizen)
    say(page, "Halo")
    page.locator(".msg.out").first.wait_for()
    for text in (f"#layani {citizen} legalisir SK", f"#selesai {citizen}"):  # the officer, from their phone
        requests.post(local_stack.chat + "_chat/send", json={"wa_id": officer, "name": "Petugas",
                                                            "message": meta.text(officer, text)}, timeout=30)
    invitation = page.locator(".msg.out button", has_text="📝 Isi survei")  # the Flow's, not the menu's row
    invitation.wait_for()
    invitation.click()
    sheet = page.locator("#flowSheet")
    sheet.locator("fieldset").first.wait_for()
    assert sheet.locator("fieldset").count() == 9 and "Pertanyaan 1 dari 9" in sheet.inner_text()
    for group in range(9):
        sheet.locator("fieldset").nth(group).locator("input[value='4']").check()
    sheet.locator("button", has_text="Lanjut").click()
    sheet.locator("select").first.wait_for()
    sheet.locator("select").first.select_option("P")
    sheet.locator("textarea").fill("Pelayanannya cepat")
    sheet.locator("button", has_text="Kirim").click()
    sent = page.locator(".msg.in .body", has_text="Formulir terkirim")
    sent.wait_for()
    page.locator(".msg.out .body", has_text="Terima kasih, jawaban survei").wait_for()
    dashboard = requests.get(local_stack.urls["reports"], timeout=30,
                             headers={"X-Jaring-Dev-Identity": "admin@example.go.id|admin|kemenag-bangkalan|"}).text
    assert re.search(r"WhatsApp Flow</td><td class=n>\d+<", dashboard)


def test_two_offices_each_answer_their_citizens_from_their_own_number(watched, local_stack):
    """README's walk-through: Sampang is onboarded with one command, then answers from its own number while
    Bangkalan answers from the default one (JARING_SCREENSHOTS=DIR keeps a screenshot of each chat)."""
    import os

    out = local_stack.operator("config", "load", "../docs/offices/kemenag-sampang.toml")
    assert "1 WhatsApp number(s) registered" in out
    assert "kemenag-sampang" in local_stack.operator("offices", "list")
    page = open_chat(watched, local_stack, "6281234567003")
    for number_id, office in (("100000000000003", "Sampang"), (meta.OFFICE_NUMBER_ID, "Bangkalan")):
        page.fill("#office", number_id)
        page.dispatch_event("#office", "change")
        say(page, "Halo")
        reply = page.locator(".msg.out").first
        reply.wait_for()
        assert office in reply.inner_text() and f"dari nomor id {number_id}" in reply.inner_text()
        assert page.locator(".msg.out").count() == page.locator(f".msg.out:has-text('nomor id {number_id}')").count()
        if os.environ.get("JARING_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["JARING_SCREENSHOTS"], f"chat-{office.lower()}.png"))


def answer_to(page, text: str = "", tap: str = ""):
    """Write (or tap a button of the last message) and wait for the bot's first answer to it."""
    answered = page.locator(".msg.out").count()
    if tap:
        page.locator(".msg.out .choices button", has_text=tap).last.click()
    else:
        say(page, text)
    page.locator(".msg.out").nth(answered).wait_for()
    return page.locator(".msg.out").nth(answered).locator(".body").first.inner_text()


def test_a_citizen_sees_their_data_keeps_it_then_erases_it_and_withdraws_from_surveys(watched, local_stack):
    """The citizen's rights on the chat page, as a citizen uses them (JARING_SCREENSHOTS=DIR keeps a screenshot of
    DATA SAYA, of the erasure question and of the answers to HAPUS DATA and BERHENTI)."""
    import os

    def shot(name: str) -> None:
        if os.environ.get("JARING_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["JARING_SCREENSHOTS"], f"privacy-{name}.png"))

    page = open_chat(watched, local_stack, "6281234567004")
    page.set_viewport_size({"width": 900, "height": 1100})
    assert "DATA SAYA" in answer_to(page, "halo")
    held = answer_to(page, "data saya")
    assert "Nomor WhatsApp: +6281234567004" in held and "Pemberitahuan privasi: sudah dikirim" in held
    assert re.search(r"terhapus otomatis pada \w+, \d+ \w+ \d{4}\.", held)
    shot("data-saya")
    assert "Apakah Bapak/Ibu ingin kami menghapus data" in answer_to(page, "hapus")
    shot("hapus")
    assert "tidak kami hapus" in answer_to(page, tap="Tidak jadi")
    assert "sedang kami hapus" in answer_to(page, "HAPUS DATA")
    assert "Sekilas tentang data Bapak/Ibu" in answer_to(page, "halo lagi")  # a new contact: told again
    assert "tidak akan menerima pengingat atau survei" in answer_to(page, "jangan kirim survei lagi")
    shot("berhenti")
    assert "kembali menerima pengingat dan survei" in answer_to(page, "mulai lagi")
