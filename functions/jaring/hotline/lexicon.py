"""The words citizens use, as the reading (jaring.hotline.reading) knows them. Pure data.

Informal chat Indonesian is written short ("sy mau tanya, kpn buka?") and with regional words (Madurese
"sakalangkong", Javanese "matur nuwun"): SPELLINGS rewrites those to one spelling before anything is
matched. Everything else is sets of words and phrases per meaning; a phrase is matched on whole words
in order (after SPELLINGS and, for words the bot does not know, the nearest known keyword).
"""
from __future__ import annotations

from jaring.messaging import menus

# One spelling for the short and regional forms (a value may be several words).
SPELLINGS = {
    "sy": "saya", "aku": "saya", "gw": "saya", "gue": "saya", "sya": "saya",
    "gmn": "bagaimana", "gimana": "bagaimana", "gmana": "bagaimana", "bgmn": "bagaimana", "gmna": "bagaimana",
    "brp": "berapa", "brapa": "berapa", "kpn": "kapan", "kapn": "kapan", "dmn": "dimana", "dmna": "dimana",
    "mana2": "mana", "tdk": "tidak", "tak": "tidak", "gak": "tidak", "ga": "tidak", "gk": "tidak",
    "nggak": "tidak", "ngga": "tidak", "nggk": "tidak", "enggak": "tidak", "engga": "tidak", "ndak": "tidak",
    "nda": "tidak", "kagak": "tidak", "tida": "tidak", "yg": "yang", "utk": "untuk", "buat": "untuk",
    "tlg": "tolong", "tolongin": "tolong", "dgn": "dengan", "sdh": "sudah", "udah": "sudah", "udh": "sudah",
    "dah": "sudah", "blm": "belum", "blum": "belum", "bgt": "banget", "bngt": "banget", "aja": "saja",
    "sj": "saja", "bs": "bisa", "bsa": "bisa", "jg": "juga", "sm": "sama", "krn": "karena", "tp": "tapi",
    "tpi": "tapi", "dr": "dari", "ttg": "tentang", "lg": "lagi", "skrg": "sekarang", "skrng": "sekarang",
    "mo": "mau", "pengen": "ingin", "pgn": "ingin", "pingin": "ingin", "knp": "kenapa", "napa": "kenapa",
    "kalo": "kalau", "klo": "kalau", "kl": "kalau", "gt": "begitu", "gitu": "begitu", "trus": "terus",
    "sgt": "sangat", "bnyk": "banyak", "byk": "banyak", "sblm": "sebelum", "stlh": "setelah",
    "cepet": "cepat", "lelet": "lambat", "lemot": "lambat", "ribet": "sulit", "susah": "sulit",
    "ngadu": "mengadu", "ngeluh": "mengeluh", "ngobrol": "bicara", "ngomong": "bicara", "ngmg": "bicara",
    "nanya": "tanya", "nanyain": "tanya", "tny": "tanya", "min": "min", "mimin": "min", "kk": "kak",
    "bpk": "bapak", "ibuk": "ibu", "mba": "mbak",
    "makasih": "terima kasih", "makasi": "terima kasih", "mksh": "terima kasih", "mks": "terima kasih",
    "maksih": "terima kasih", "trimakasih": "terima kasih", "terimakasih": "terima kasih",
    "trmksh": "terima kasih", "trimaksih": "terima kasih", "tengkyu": "terima kasih", "thx": "terima kasih",
    "thanks": "terima kasih", "tq": "terima kasih", "ty": "terima kasih", "tks": "terima kasih",
    "trims": "terima kasih", "trimks": "terima kasih", "syukron": "terima kasih", "syukran": "terima kasih",
    "sakalangkong": "terima kasih", "sakalangkung": "terima kasih", "kalangkong": "terima kasih",
    "suwun": "terima kasih", "nuwun": "terima kasih", "maturnuwun": "terima kasih",
    "ass": "assalamualaikum", "askum": "assalamualaikum", "aslm": "assalamualaikum",
    "assalamualaikum": "assalamualaikum", "asalamualaikum": "assalamualaikum",
    "assalamu": "assalamualaikum", "asslamualaikum": "assalamualaikum", "salamualaikum": "assalamualaikum",
    "hallo": "halo", "helo": "halo", "hello": "halo", "hi": "hai", "hy": "hai", "hay": "hai", "hey": "hai",
    "survey": "survei", "survai": "survei", "kuisioner": "kuesioner", "quesioner": "kuesioner",
    "komplen": "komplain", "complain": "komplain", "complaint": "komplain",
    "umroh": "umrah", "pasport": "paspor", "passport": "paspor", "lokasinya": "lokasi",
    "customer": "cs", "oke": "ok", "okey": "ok", "okay": "ok", "okeh": "ok", "iye": "iya", "iyaa": "iya",
    "gausah": "tidak usah", "gausa": "tidak usah", "gusah": "tidak usah", "jgn": "jangan", "jngn": "jangan",
    "yaa": "ya", "yoi": "ya", "yup": "ya", "yes": "ya", "no": "tidak", "nope": "tidak",
    "jam2": "jam", "sabtu2": "sabtu", "gratiss": "gratis",
}
# Words that are joined when written apart ("di mana" asks where, like "dimana").
JOINED = {("di", "mana"): "dimana", ("terima", "kasih"): "terima kasih", ("wr", "wb"): "", ("wa", "alaikum"): "",
          ("alaikum", "salam"): "", ("matur", "nuwun"): "terima kasih", ("hatur", "nuhun"): "terima kasih",
          ("thank", "you"): "terima kasih", ("alaikum",): "", ("wr",): "", ("wb",): "",
          ("warahmatullahi",): "", ("wabarakatuh",): "", ("service",): ""}

# Words that carry no meaning of their own here: address words, particles, politeness.
FILLERS = frozenset({
    "min", "kak", "pak", "bapak", "bu", "ibu", "mas", "mbak", "gan", "sis", "bro", "dik", "bang", "om",
    "ya", "yah", "kok", "sih", "dong", "deh", "nih", "loh", "lho", "kah", "toh", "tuh", "nah", "wah", "ah",
    "eh", "hmm", "mohon", "tolong", "maaf", "permisi", "saya", "kami", "mau", "ingin", "minta", "bisa",
    "boleh", "apakah", "apa", "juga", "saja", "ini", "itu", "nya", "dulu", "sekarang", "lagi", "kembali",
    "sama", "dengan", "ke", "di", "dari", "yang", "untuk", "dan", "atau", "pun", "lah", "semua", "banyak",
    "sekali", "banget", "sangat", "kakak", "admin", "dong", "nggih", "njih", "enggi", "jadi",
})
GREETING = frozenset({"halo", "hai", "assalamualaikum", "salam", "selamat", "pagi", "siang", "sore", "malam",
                      "met", "permisi", "punten", "p", "ping", "tes", "test", "info", "tanya", "bertanya",
                      "numpang", "shalom", "selamat datang"})
THANKS = frozenset({"terima kasih", "alhamdulillah", "jazakallah", "jazakumullah", "hatur nuhun",
                    "matur nuwun", "sip", "mantap", "mantab", "terimakasih"})
THANKS_EMOJI = "👍🙏👌❤💐🌹😊🙂😀😁🤝✅"
YES = frozenset({"ya", "iya", "y", "ok", "baik", "baiklah", "siap", "setuju", "bersedia", "boleh", "mau",
                 "benar", "betul", "lanjut", "sip", "enggi", "nggih", "ok siap", "ya setuju", "saya setuju",
                 "setuju saja", "iya setuju", "ok setuju", "siap setuju", "ya benar", "ya bersedia"})
NO = frozenset({"tidak", "tidak setuju", "menolak", "jangan", "tidak mau", "tidak bersedia", "batal",
                "tidak jadi", "tidak usah", "tidak perlu", "moh", "emoh", "tolak", "saya tidak setuju",
                "tidak terima kasih"})
MENU = frozenset(menus.MENU)
YES_WORDS = frozenset({"ya", "iya", "y", "ok", "baik", "baiklah", "siap", "setuju", "bersedia", "boleh", "mau", "benar",
                       "betul", "lanjut", "sip", "enggi", "nggih", "saya", "silakan", "silahkan", "tentu", "oke"})
NO_WORDS = frozenset({"tidak", "setuju", "mau", "bersedia", "usah", "perlu", "jadi", "jangan", "menolak", "tolak",
                      "batal", "saya", "moh", "emoh", "dulu", "terima", "kasih"})
NEGATIVE = frozenset({"tidak", "jangan", "menolak", "tolak", "batal", "moh", "emoh"})
# Words that answer "hapus data?" without changing a yes or no ("ya hapus", "jangan dihapus", "hapus saja").
ERASE_ANSWER_WORDS = frozenset({"hapus", "dihapus", "hapuskan", "saja"})
# Between a "no" and "survei", the words of a refusal of surveys ("tidak usah kirimi saya survei", "jangan
# kirim survei", "tidak mau disurvei"), as roots; anything else ("tidak bisa buka survei") is not one.
SURVEY_REFUSAL = frozenset({"mau", "ingin", "usah", "perlu", "kirim", "isi", "ikut", "terima", "saya", "lagi"})
CANCEL = frozenset({"batal", "batalkan", "cancel", "tidak jadi", "batal saja", "batalkan saja", "batal survei",
                    "batalkan survei", "batal pengaduan", "batalkan pengaduan", "stop survei", "berhenti survei",
                    "sudahi", "tidak jadi saja"})
STOP = frozenset({"berhenti", "stop", "unsubscribe", "unsub", "berhenti langganan", "stop langganan"})
STOP_PHRASES = ("jangan kirim", "berhenti kirim", "stop kirim", "jangan hubungi", "tidak mau menerima",
                "tidak ingin menerima", "jangan dikirimi", "berhenti mengirim", "stop mengirim")
START = frozenset({"mulai", "start", "mulai lagi", "aktifkan lagi", "langganan lagi"})
ERASE = frozenset({"hapus data", "hapus data saya", "hapus nomor saya", "hapus semua data saya",
                   "hapus semua data", "hapus data pribadi saya", "hapus data pribadi", "hapuskan data saya",
                   "hapus nomor", "hapus data dan nomor saya"})
ERASE_ASK = frozenset({"hapus", "hapus saja", "hapuskan"})
PRIVACY = ("privasi", "kebijakan privasi", "data saya", "data pribadi", "perlindungan data", "pdp",
           "pelindungan data")
# "DATA SAYA": the right of access (UU 27/2022 art. 7); the bot answers with what the office holds.
OWN_DATA = frozenset({"data saya", "lihat data saya", "minta data saya", "cek data saya", "kirim data saya",
                      "tampilkan data saya", "data apa saja yang disimpan", "data saya apa saja",
                      "data saya apa saja yang disimpan", "apa saja data saya", "apa saja data saya yang disimpan",
                      "data apa yang disimpan", "data apa saja yang kalian simpan", "data saya yang disimpan"})
QUESTION = frozenset({"apa", "bagaimana", "kenapa", "mengapa", "cara", "siapa", "apakah", "kapan", "berapa",
                      "dimana"})

SURVEY = frozenset({"survei", "kuesioner", "skm", "isi survei", "kepuasan"})
CATALOGUE = ("katalog", "daftar layanan", "layanan apa", "jenis layanan", "lihat layanan", "list layanan",
             "menu layanan", "macam layanan", "layanan yang ada", "layanan tersedia", "informasi layanan")
TICKETS = ("tiket", "sampai mana", "sudah sampai", "status pengajuan", "status permohonan", "status berkas",
           "status layanan", "sudah jadi belum", "sudah selesai belum", "progres", "perkembangan permohonan",
           "permohonan saya", "pengajuan saya", "berkas saya")
OFFICER_PEOPLE = frozenset({"petugas", "admin", "cs", "operator", "manusia", "orang", "pegawai", "staf", "staff",
                            "customer service"})
OFFICER_TALK = frozenset({"bicara", "obrol", "sambung", "hubung", "chat", "telepon", "telpon", "telfon",
                          "langsung", "tanya", "bantu", "dilayani", "balas"})
# A complaint (wbs words come first: jaring.cases.violations).
COMPLAINT_STEMS = frozenset({"adu", "komplain", "keluh", "protes", "kecewa", "lapor", "sanggah"})
COMPLAINT_PHRASES = ("tidak ramah", "tidak sopan", "kasar", "dipersulit", "tidak dilayani", "tidak ada di tempat",
                     "tidak ada ditempat", "diabaikan", "dicuekin", "cuek", "judes", "dibentak", "marah marah",
                     "layan lambat", "layan lama", "lambat sekali", "lama sekali", "antri lama", "tidak becus")
WBS = ("pelanggaran", "wbs", "whistleblowing", "whistle blowing", "lapor pelanggaran")
HOURS_WORDS = frozenset({"buka", "tutup", "libur", "operasional", "istirahat", "jadwal"})
HOURS_WITH = frozenset({"jam", "kapan", "berapa", "hari", "sabtu", "minggu", "ahad", "senin", "selasa", "rabu",
                        "kamis", "jumat", "besok", "sekarang", "tidak", "masih", "kantor", "layan", "kerja",
                        "pagi", "siang", "sore", "malam", "tanggal"})
JAM_WITH = frozenset({"buka", "tutup", "layan", "kerja", "operasional", "berapa", "kapan", "istirahat",
                      "kantor", "masuk", "pulang"})
ADDRESS = ("alamat", "lokasi", "letak", "maps", "google maps", "peta", "sharelok", "share lokasi", "share loc",
           "titik lokasi", "posisi kantor", "arah ke kantor", "kantornya dimana", "kantor dimana")
ADDRESS_WHERE = frozenset({"kantor", "kua", "kemenag", "ptsp", "loket", "tempat", "gedung", "madrasah"})
# Words of a service's title that alone say nothing about which service is meant.
GENERIC = frozenset({"daftar", "izin", "rekomendasi", "surat", "keterangan", "layan", "mohon", "syarat",
                     "cara", "biaya", "informasi", "konsultasi", "urus", "buat", "baru", "pegawai", "siswa",
                     "dan", "di", "ke", "untuk", "yang"})

# In-chat survey answers (PermenPANRB 14/2017 labels, responses.LABELS) ------------------------------------
NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "siji": 1, "loro": 2,
           "telu": 3, "papat": 4}
VERY = frozenset({"sangat", "sekali", "banget", "amat", "paling", "super", "sungguh", "luar biasa", "sangatlah",
                  "sangat sangat", "mantap", "mantab"})
SOMEWHAT = frozenset({"kurang", "agak", "sedikit", "lumayan", "belum begitu", "tidak begitu", "tidak terlalu",
                      "kurang begitu"})
NOT = frozenset({"tidak", "belum", "bukan"})
# Per unsur: (words that mean the good end, words that mean the bad end).
SCALES = {
    "U1": ({"sesuai", "cocok", "lengkap", "jelas"}, {"beda", "berbeda"}),
    "U2": ({"mudah", "gampang", "jelas", "simpel", "simple"}, {"sulit", "rumit", "bingung", "berbelit"}),
    "U3": ({"cepat", "tepat waktu", "kilat", "sebentar", "singkat"}, {"lambat", "lama", "molor", "telat"}),
    "U5": ({"sesuai", "cocok", "sama"}, {"beda", "berbeda", "salah"}),
    "U6": ({"kompeten", "mampu", "ahli", "paham", "cakap", "terampil", "pintar", "profesional", "menguasai"},
           {"bodoh", "tidak paham"}),
    "U7": ({"sopan", "ramah", "baik", "santun", "sopan ramah", "sopan dan ramah", "ramah dan sopan"},
           {"kasar", "judes", "galak", "cuek", "jutek", "ketus", "sombong"}),
    "U9": ({"baik", "bagus", "nyaman", "lengkap", "bersih", "memadai", "memuaskan"},
           {"buruk", "jelek", "kotor", "rusak", "parah"}),
}
FREE = ("gratis", "tidak bayar", "tanpa biaya", "free", "tidak dipungut", "tanpa bayar", "nol rupiah",
        "rp0", "rp 0", "tidak ada biaya", "tidak ada biayanya", "tidak berbayar")
CHEAP = frozenset({"murah", "terjangkau", "wajar", "sesuai", "ringan", "tidak mahal"})
DEAR = frozenset({"mahal"})
MIDDLE = frozenset({"cukup", "lumayan", "biasa", "sedang", "standar", "standard", "biasa saja"})
U8 = ((1, ("tidak ada", "belum ada", "tidak tersedia", "belum tersedia", "tidak tahu")),
      (2, ("tidak berfungsi", "tidak jalan", "ada tapi tidak", "ada tetapi tidak", "tidak ditanggapi",
           "tidak direspon", "tidak direspons")),
      (3, ("kurang maksimal", "kurang", "berfungsi kurang", "lumayan", "cukup", "berfungsi")),
      (4, ("dikelola dengan baik", "dikelola", "baik", "sangat baik", "bagus", "ditanggapi", "direspon",
           "cepat ditanggapi", "responsif")))
NO_SUGGESTION = frozenset({"tidak ada", "tidak", "tidak ada saran", "belum ada", "cukup", "sudah", "sudah cukup",
                           "-", "tidak ada lagi", "sudah bagus", "sudah baik", "nihil", "kosong", "tidak ada masukan"})
SKIP = frozenset({"lewati", "lewat", "skip", "-", "rahasia", "tidak mau", "tidak ingin", "tidak mau menjawab",
                  "tidak ingin menjawab", "next", "lanjut"})
PROFILE_WORDS = {
    "sex": {"L": ("laki", "laki laki", "lakilaki", "pria", "cowok", "l", "lk"),
            "P": ("perempuan", "wanita", "cewek", "p", "pr", "ibu")},
    "education": {"SD": ("sd", "sd ke bawah", "tidak sekolah", "tidak tamat sd", "mi"),
                  "SMP": ("smp", "mts", "sltp"), "SMA": ("sma", "smk", "ma", "slta", "stm", "aliyah"),
                  "D3": ("d1", "d2", "d3", "diploma"), "S1": ("s1", "d4", "sarjana"),
                  "S2": ("s2", "magister", "master"), "S3": ("s3", "doktor")},
    "occupation": {"PNS": ("pns", "asn", "pegawai negeri"), "TNI/POLRI": ("tni", "polri", "polisi", "tentara"),
                   "SWASTA": ("swasta", "karyawan", "pegawai swasta", "buruh"),
                   "WIRAUSAHA": ("wirausaha", "wiraswasta", "pedagang", "dagang", "usaha", "jualan", "petani",
                                 "nelayan"),
                   "PELAJAR": ("pelajar", "mahasiswa", "siswa", "santri"),
                   "LAINNYA": ("lainnya", "lain", "ibu rumah tangga", "irt", "tidak bekerja", "guru", "honorer")},
}
