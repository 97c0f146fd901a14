"""What the hotline says to citizens, in plain Bahasa Indonesia. An office may override any of these
in its configuration ([texts]); the placeholders in braces are filled in when the text is sent.

Every text may use {office}, {short_name}, {address} and {hours}; the others are listed per text.
"""
from __future__ import annotations

COMMON = ("office", "short_name", "address", "hours")

DEFAULTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "greeting": ("Assalamu'alaikum, selamat datang di layanan WhatsApp {office}.", ()),
    "consent_ask": ("Balas *YA* bila Anda setuju, lalu menu layanan akan tampil.", ()),
    "consent_prompt": ("Sebelum kami layani, mohon persetujuan Anda:\n{consent}", ("consent",)),
    "consent_thanks": ("Terima kasih, persetujuan Anda tercatat pada {time} WIB.", ("time",)),
    "consent_declined": ("Baik, nomor Anda tidak kami simpan. Informasi layanan dapat Anda peroleh langsung "
                         "di {address}, {hours}. Kirim pesan lagi kapan saja bila berubah pikiran.", ()),
    "menu": ("Silakan pilih layanan yang Anda perlukan. Ketik *MENU* kapan saja untuk kembali ke sini.", ()),
    "help": ("Maaf, kami belum memahami pesan Anda. Pilih dari daftar di bawah, atau pilih "
             "*Bicara dengan petugas*.", ()),
    "away": ("Saat ini di luar jam layanan{reason}. Petugas akan membalas mulai {when}.", ("reason", "when")),
    "away_unknown": ("Saat ini di luar jam layanan{reason}. Petugas akan membalas pada hari kerja berikutnya.",
                     ("reason",)),
    "catalogue_empty": ("Katalog layanan belum tersedia. Silakan datang ke {address}, {hours}.", ()),
    "request_done": ("Permohonan Anda tercatat.\nNomor referensi: *{reference}*\n\nSilakan datang ke {place} "
                     "({unit_hours}) dan bawa persyaratan berikut:\n{checklist}\n\nTunjukkan nomor referensi "
                     "ini kepada petugas.", ("reference", "place", "unit_hours", "checklist")),
    "tickets": ("Permohonan Anda:\n{items}\n\nTunjukkan nomor referensi kepada petugas saat datang.", ("items",)),
    "tickets_served": ("Tiket layanan Anda:\n{items}", ("items",)),
    "tickets_none": ("Anda belum punya permohonan. Pilih *Katalog layanan* untuk mengajukan.", ()),
    "complaint_ask": ("Kami akan menanyakan beberapa hal singkat tentang pengaduan Anda, satu per satu. "
                      "Ketik *BATAL* kapan saja untuk membatalkan.", ()),
    "wbs": ("*Lapor pelanggaran (WBS)*\n"
            "Untuk melaporkan dugaan pungutan liar, suap atau gratifikasi, calo, dan penyalahgunaan wewenang oleh "
            "pegawai {short_name}.\n\n"
            "*Identitas Anda kami lindungi:*\n"
            "• Laporan disimpan terpisah dari nomor WhatsApp Anda. Petugas unit dan kantor tidak dapat membaca "
            "laporan ini dan tidak dapat mengetahui siapa pengirimnya.\n"
            "• Yang membaca hanya Inspektorat, dan setiap kali laporan dibuka tercatat.\n"
            "• Anda menerima *kode laporan* dan *PIN*. Dengan keduanya Anda dapat menanyakan perkembangan dari "
            "nomor WhatsApp mana pun.\n\n"
            "*Isi laporan yang baik:* siapa, melakukan apa, kapan, di mana, bagaimana caranya, dan bukti bila ada. "
            "Laporan yang jelas dan disertai bukti lebih mudah ditindaklanjuti.\n\n"
            "*Setelah laporan masuk:* Inspektorat menelaahnya; bila cukup keterangan, dilakukan klarifikasi atau "
            "pemeriksaan. Perkembangannya dapat Anda cek dengan kode dan PIN.", ()),
    "survey": ("Survei kepuasan diisi setelah Anda dilayani: petugas akan mengirim tautan survei ke WhatsApp "
               "ini, atau pindai kode QR di loket layanan.", ()),
    "survey_link": ("Survei kepuasan diisi setelah Anda dilayani: petugas akan mengirim tautan survei ke "
                    "WhatsApp ini. Anda juga dapat mengisinya di {survey_url}", ("survey_url",)),
    "handoff_start": ("Baik, pesan Anda berikutnya kami teruskan ke petugas. {when_answered}\n"
                      "Ketik *MENU* untuk kembali ke layanan otomatis.", ("when_answered",)),
    "handoff_soon": ("Petugas akan segera membalas.", ()),
    "handoff_ack": ("Pesan Anda sudah kami teruskan ke petugas.", ()),
    "handoff_none": ("Maaf, saat ini belum ada petugas yang terhubung ke WhatsApp ini. Silakan datang ke "
                     "{address}, {hours}.", ()),
    "handoff_end": ("Percakapan dengan petugas selesai. Ketik *MENU* bila perlu bantuan lain.", ()),
    "staff_reply": ("*Petugas {short_name}:*\n{text}", ("text",)),
    "opt_out": ("Baik, Anda tidak akan menerima pengingat atau survei dari kami lagi. Anda tetap dapat bertanya "
                "kapan saja. Ketik *MULAI* untuk menerimanya kembali.", ()),
    "opt_in": ("Baik, Anda akan kembali menerima pengingat dan survei dari kami.", ()),
    "erased": ("Data Anda (nomor, nama, dan isi pesan) sedang kami hapus dan tidak akan kami gunakan lagi. "
               "Terima kasih telah menghubungi {short_name}.", ()),
    "not_understood": ("Mohon maaf, pesan jenis ini belum dapat kami proses. Silakan kirim pesan teks, "
                       "misalnya \"MENU\".", ()),
    "relay_media": ("Mohon maaf, petugas baru dapat menerima pesan teks. Silakan tulis pesan Anda.", ()),
    "stranger_command": ("Maaf, perintah yang diawali tanda # hanya untuk petugas yang terdaftar.", ()),
}


def placeholders(key: str) -> tuple[str, ...]:
    return COMMON + DEFAULTS[key][1]
