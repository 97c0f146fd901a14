"""What `#bantuan` tells a member of staff: every WhatsApp command their role may use, and only those (pure).

  tickets      anyone but the inspectorate (#layani needs a unit: officers and unit heads)
  complaints   hotline staff and anyone who covers a unit's complaints (complaint_routing.may_act)
  hand-offs    hotline staff, who receive "Bicara dengan petugas" (#balas, #tutup, #label)
  #ringkasan   unit heads and officers for their unit, the office head and admins for the office
  WBS          the inspectorate reads reports only in its web page; no WhatsApp command
"""
from __future__ import annotations

from jaring.offices.model import Staff
from jaring.identity import OFFICE_WIDE, UNIT_ROLES

TICKETS = ("Tiket layanan:\n"
           "• #layani 0812xxxx [layanan]: buka tiket warga yang Anda layani\n"
           "• #selesai KODE atau #selesai 0812xxxx: layanan selesai, warga menerima undangan survei\n"
           "• #batal KODE: layanan batal\n"
           "• #cek KODE: status tiket dan undangan surveinya")
TICKETS_OFFICE = ("Tiket layanan:\n"
                  "• #selesai KODE: layanan selesai, warga menerima undangan survei\n"
                  "• #batal KODE · #cek KODE: batalkan tiket, lihat statusnya")
COMPLAINTS = ("Pengaduan (P-XXXXXX = nomor pengaduan):\n"
              "• #pengaduan: daftar yang masih terbuka\n"
              "• #verifikasi P-XXXXXX [unit] · #teruskan P-XXXXXX unit\n"
              "• #jawab P-XXXXXX teks · #tutup P-XXXXXX · #tolak P-XXXXXX alasan · #status P-XXXXXX\n"
              "• atau kutip (Balas) pesan pengaduan yang diteruskan untuk menjawab warga")
HANDOFFS = ("Percakapan warga yang diteruskan kepada Anda:\n"
            "• kutip (Balas) pesan warga untuk menjawabnya\n"
            "• #balas KODE pesan: kirim jawaban ke warga (KODE diawali W)\n"
            "• #tutup KODE: akhiri percakapan, layanan otomatis aktif lagi\n"
            "• #label KODE nama_label · #hapuslabel KODE nama_label")
SUMMARY = "Ringkasan survei dan pengaduan{scope}: #ringkasan [hari|bulan]"
INSPECTORATE = ("Laporan WBS dibaca dan ditindaklanjuti lewat halaman Inspektorat (admin_api), bukan lewat "
                "WhatsApp. Nomor ini tidak menerima perintah untuk laporan WBS.")


def sections(member: Staff) -> list[str]:
    """The parts of the help this member may use, in the order they need them."""
    if member.role == "inspectorate":
        return [INSPECTORATE]
    found = []
    if member.hotline:
        found.append(HANDOFFS)
    found.append(TICKETS if member.role in UNIT_ROLES and member.unit else TICKETS_OFFICE)
    if member.hotline or member.role in OFFICE_WIDE or (member.role in UNIT_ROLES and member.unit):
        found.append(COMPLAINTS)
    if member.role in OFFICE_WIDE:
        found.append(SUMMARY.format(scope=" seluruh kantor"))
    elif member.role in UNIT_ROLES and member.unit:
        found.append(SUMMARY.format(scope=" unit Anda"))
    return found


def text(member: Staff) -> str:
    return f"Perintah untuk {member.name}:\n\n" + "\n\n".join(sections(member)) + "\n\nKirim #bantuan untuk daftar ini."
