"""What the hotline says to citizens, in plain Bahasa Indonesia. An office may override any of these
in its configuration ([texts]); the placeholders in braces are filled in when the text is sent.

Every text may use {office}, {short_name}, {address} and {hours}; the others are listed per text.
"""
from __future__ import annotations

COMMON = ("office", "short_name", "address", "hours")

DEFAULTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "greeting": ("Assalamu'alaikum, selamat datang di layanan WhatsApp {office}.", ()),
    "notice": ("Sekilas tentang data Bapak/Ibu:\n{consent}", ("consent",)),
    "consent_prompt": ("{consent}\n\nSetelah Bapak/Ibu dilayani, bolehkah kami mengirim survei kepuasan singkat "
                       "(dan paling banyak dua pengingat) ke WhatsApp ini?", ("consent",)),
    "consent_thanks": ("Terima kasih, persetujuan Bapak/Ibu tercatat pada {time} WIB. Setelah layanan selesai, "
                       "survei kepuasan singkat kami kirim ke WhatsApp ini.", ("time",)),
    "consent_declined": ("Baik, kami tidak akan mengirim survei ke nomor ini. Layanan Bapak/Ibu tetap berjalan "
                         "seperti biasa, dan Bapak/Ibu tetap dapat bertanya di sini kapan saja.", ()),
    "menu": ("Silakan pilih layanan yang Bapak/Ibu perlukan. Ketik *MENU* kapan saja untuk kembali ke sini.", ()),
    "help": ("Maaf, kami belum memahami pesan Bapak/Ibu. Pilih dari daftar di bawah, atau pilih "
             "*Bicara dengan petugas*.", ()),
    "hours_answer": ("Jam layanan {office}: {hours}. Di luar jam itu, menu WhatsApp ini tetap dapat Bapak/Ibu "
                     "pakai.", ()),
    "address_answer": ("Alamat {office}: {address}. Pilih *Katalog layanan* untuk tempat tiap layanan.", ()),
    "thanks_reply": ("Sama-sama, terima kasih kembali. Ketik *MENU* bila Bapak/Ibu perlu bantuan lain.", ()),
    "away": ("Saat ini di luar jam layanan{reason}. Petugas akan membalas mulai {when}.", ("reason", "when")),
    "away_unknown": ("Saat ini di luar jam layanan{reason}. Petugas akan membalas pada hari kerja berikutnya.",
                     ("reason",)),
    "catalogue_empty": ("Katalog layanan belum tersedia. Silakan datang ke {address} pada jam layanan ({hours}).",
                        ()),
    "request_done": ("Permohonan Bapak/Ibu tercatat.\nNomor referensi: *{reference}*\n\nSilakan datang ke {place} "
                     "({unit_hours}) dan bawa persyaratan berikut:\n{checklist}\n\nTunjukkan nomor referensi "
                     "ini kepada petugas.", ("reference", "place", "unit_hours", "checklist")),
    "tickets": ("Permohonan Bapak/Ibu:\n{items}\n\nTunjukkan nomor referensi kepada petugas saat datang.",
                ("items",)),
    "tickets_served": ("Tiket layanan Bapak/Ibu:\n{items}", ("items",)),
    "tickets_none": ("Bapak/Ibu belum punya permohonan. Pilih *Katalog layanan* untuk mengajukan.", ()),
    "complaint_ask": ("Kami akan menanyakan beberapa hal singkat tentang pengaduan Bapak/Ibu, satu per satu. "
                      "Ketik *BATAL* kapan saja untuk membatalkan.", ()),
    "wbs": ("*Lapor pelanggaran (WBS)*\n"
            "Untuk melaporkan dugaan pungutan liar, suap atau gratifikasi, calo, dan penyalahgunaan wewenang oleh "
            "pegawai {short_name}.\n\n"
            "*Identitas Bapak/Ibu kami lindungi:*\n"
            "• Laporan disimpan terpisah dari nomor WhatsApp Bapak/Ibu. Petugas unit dan kantor tidak dapat membaca "
            "laporan ini dan tidak dapat mengetahui siapa pengirimnya.\n"
            "• Yang membaca hanya Inspektorat, dan setiap kali laporan dibuka tercatat.\n"
            "• Bapak/Ibu menerima *kode laporan* dan *PIN*. Dengan keduanya Bapak/Ibu dapat menanyakan perkembangan "
            "dari nomor WhatsApp mana pun.\n\n"
            "*Isi laporan yang baik:* siapa, melakukan apa, kapan, di mana, bagaimana caranya, dan bukti bila ada. "
            "Laporan yang jelas dan disertai bukti lebih mudah ditindaklanjuti.\n\n"
            "*Setelah laporan masuk:* Inspektorat menelaahnya; bila cukup keterangan, dilakukan klarifikasi atau "
            "pemeriksaan. Perkembangannya dapat Bapak/Ibu cek dengan kode dan PIN.", ()),
    "survey": ("Survei kepuasan diisi setelah Bapak/Ibu dilayani. Begitu layanan selesai, kami kirim tautan survei "
               "ke WhatsApp ini; Bapak/Ibu juga dapat memindai kode QR di loket layanan.", ()),
    "survey_link": ("Survei kepuasan diisi setelah Bapak/Ibu dilayani. Begitu layanan selesai, kami kirim tautan "
                    "survei ke WhatsApp ini; Bapak/Ibu juga dapat mengisinya di {survey_url}", ("survey_url",)),
    "handoff_start": ("Baik, pesan Bapak/Ibu berikutnya kami teruskan ke petugas. {when_answered}\n"
                      "Ketik *MENU* untuk kembali ke layanan otomatis.", ("when_answered",)),
    "handoff_soon": ("Petugas akan segera membalas.", ()),
    "handoff_ack": ("Pesan Bapak/Ibu sudah kami teruskan ke petugas.", ()),
    "handoff_none": ("Maaf, saat ini belum ada petugas yang terhubung ke WhatsApp ini. Silakan datang ke "
                     "{address} pada jam layanan ({hours}).", ()),
    "handoff_end": ("Percakapan dengan petugas selesai. Ketik *MENU* bila Bapak/Ibu perlu bantuan lain.", ()),
    "staff_reply": ("*Petugas {short_name}:*\n{text}", ("text",)),
    "opt_out": ("Baik, Bapak/Ibu tidak akan menerima pengingat atau survei dari kami lagi. Bapak/Ibu tetap dapat "
                "bertanya kapan saja. Ketik *MULAI* untuk menerimanya kembali.", ()),
    "opt_in": ("Baik, Bapak/Ibu akan kembali menerima pengingat dan survei dari kami.", ()),
    "erased": ("Data Bapak/Ibu (nomor, nama profil, isi pesan, dan riwayat layanan) sedang kami hapus dan tidak "
               "akan kami gunakan lagi. Terima kasih telah menghubungi {short_name}.", ()),
    "erase_ask": ("Apakah Bapak/Ibu ingin kami menghapus data Bapak/Ibu di {short_name} (nomor, nama profil, isi "
                  "pesan, dan riwayat layanan)? Setelah dihapus, kami tidak dapat lagi mengabari perkembangan "
                  "permohonan atau pengaduan Bapak/Ibu.", ()),
    "erase_kept": ("Baik, data Bapak/Ibu tidak kami hapus. Ketik *MENU* bila Bapak/Ibu perlu bantuan lain.", ()),
    "not_understood": ("Mohon maaf, pesan jenis ini belum dapat kami proses. Silakan kirim pesan teks, "
                       "misalnya \"MENU\".", ()),
    "relay_media": ("Mohon maaf, untuk saat ini petugas hanya dapat menerima pesan teks. Silakan tuliskan pesan "
                    "Bapak/Ibu.", ()),
    "stranger_command": ("Maaf, perintah yang diawali tanda # hanya untuk petugas yang terdaftar.", ()),
}


def placeholders(key: str) -> tuple[str, ...]:
    return COMMON + DEFAULTS[key][1]
