/**
 * Jaring: create an office's standard forms in one step (run from the same project as submit.gs).
 *
 *   jaringCreateSkmForm('PTSP Kemenag Kabupaten Bangkalan')
 *   jaringCreateLogbookForm('PTSP Kemenag Kabupaten Bangkalan', ['umum', 'kua-socah'])
 *
 * Each creates the form, connects it to the signed post (submit.gs) and logs the command that
 * registers it with Jaring. The wording and answer labels are those of PermenPANRB 14/2017's
 * sample questionnaire; Jaring maps them to unsur by these titles, so do not edit them (an office
 * keeping its own form registers a mapping instead, see docs/FORMS.md).
 */
var JARING_SKM_QUESTIONS = [
  ['U1', 'Bagaimana pendapat Bapak/Ibu tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?',
    ['Tidak sesuai', 'Kurang sesuai', 'Sesuai', 'Sangat sesuai']],
  ['U2', 'Bagaimana pemahaman Bapak/Ibu tentang kemudahan prosedur pelayanan di unit ini?',
    ['Tidak mudah', 'Kurang mudah', 'Mudah', 'Sangat mudah']],
  ['U3', 'Bagaimana pendapat Bapak/Ibu tentang kecepatan waktu dalam memberikan pelayanan?',
    ['Tidak cepat', 'Kurang cepat', 'Cepat', 'Sangat cepat']],
  ['U4', 'Bagaimana pendapat Bapak/Ibu tentang kewajaran biaya/tarif dalam pelayanan?',
    ['Sangat mahal', 'Cukup mahal', 'Murah', 'Gratis']],
  ['U5', 'Bagaimana pendapat Bapak/Ibu tentang kesesuaian produk pelayanan antara yang tercantum dalam ' +
    'standar pelayanan dengan hasil yang diberikan?',
    ['Tidak sesuai', 'Kurang sesuai', 'Sesuai', 'Sangat sesuai']],
  ['U6', 'Bagaimana pendapat Bapak/Ibu tentang kompetensi/kemampuan petugas dalam pelayanan?',
    ['Tidak kompeten', 'Kurang kompeten', 'Kompeten', 'Sangat kompeten']],
  ['U7', 'Bagaimana pendapat Bapak/Ibu tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?',
    ['Tidak sopan dan ramah', 'Kurang sopan dan ramah', 'Sopan dan ramah', 'Sangat sopan dan ramah']],
  ['U9', 'Bagaimana pendapat Bapak/Ibu tentang kualitas sarana dan prasarana?',
    ['Buruk', 'Cukup', 'Baik', 'Sangat Baik']],
  ['U8', 'Bagaimana pendapat Bapak/Ibu tentang penanganan pengaduan pengguna layanan?',
    ['Tidak ada', 'Ada tetapi tidak berfungsi', 'Berfungsi kurang maksimal', 'Dikelola dengan baik']]
];
var JARING_PROFILE = [
  ['Jenis kelamin', ['Laki-laki', 'Perempuan']],
  ['Pendidikan terakhir', ['SD ke bawah', 'SMP/sederajat', 'SMA/sederajat', 'D1/D2/D3', 'D4/S1', 'S2', 'S3']],
  ['Pekerjaan', ['PNS', 'TNI/POLRI', 'Pegawai swasta', 'Wirausaha', 'Pelajar/Mahasiswa', 'Lainnya']],
  ['Usia', ['Di bawah 20 tahun', '20-29 tahun', '30-39 tahun', '40-49 tahun', '50-59 tahun', '60 tahun ke atas']]
];
var JARING_SERVICE_TITLE = 'Jenis layanan yang diterima';
var JARING_SUGGESTION_TITLE = 'Saran atau masukan untuk perbaikan layanan kami';
var JARING_TOKEN_TITLE = 'Kode tiket (terisi otomatis, biarkan saja)';
var JARING_LOGBOOK = {
  name: 'Nama',
  phone: 'Nomor WhatsApp',
  service: 'Layanan',
  unit: 'Unit layanan',
  officer: 'Petugas yang melayani',
  consent: 'Persetujuan',
  done: 'Layanan sudah selesai?'
};
var JARING_CONSENT = 'Saya bersedia dihubungi melalui WhatsApp untuk survei kepuasan tentang layanan ini';

function jaringCreateSkmForm(officeName) {
  var form = FormApp.create('Survei Kepuasan Masyarakat - ' + officeName);
  form.setDescription('Survei ini menurut PermenPANRB Nomor 14 Tahun 2017. Jawaban Bapak/Ibu tidak dikaitkan ' +
    'dengan nama dan hanya dipakai untuk memperbaiki pelayanan.');
  form.addTextItem().setTitle(JARING_SERVICE_TITLE);
  JARING_SKM_QUESTIONS.forEach(function (q) {
    form.addMultipleChoiceItem().setTitle(q[1]).setChoiceValues(q[2]).setRequired(true);
  });
  form.addSectionHeaderItem().setTitle('Data responden (boleh dikosongkan)');
  JARING_PROFILE.forEach(function (p) {
    form.addMultipleChoiceItem().setTitle(p[0]).setChoiceValues(p[1]);
  });
  form.addParagraphTextItem().setTitle(JARING_SUGGESTION_TITLE);
  var token = form.addTextItem().setTitle(JARING_TOKEN_TITLE);
  var prefilled = form.createResponse().withItemResponse(token.createResponse('KODE')).toPrefilledUrl();
  var entry = /[?&](entry\.\d+)=KODE/.exec(prefilled)[1];
  jaringConnectForm(form.getId(), 'skm');
  console.log('Form SKM dibuat: ' + form.getPublishedUrl());
  console.log('Daftarkan di Jaring: python -m jaring forms register ' + form.getId() +
    ' --kind skm --office KANTOR --unit UNIT --url ' + form.getPublishedUrl() + ' --token-entry ' + entry);
  return form;
}

function jaringCreateLogbookForm(officeName, units) {
  var form = FormApp.create('Buku Tamu Layanan - ' + officeName);
  form.setDescription('Diisi petugas atau tamu saat dilayani.');
  form.addTextItem().setTitle(JARING_LOGBOOK.name);
  form.addTextItem().setTitle(JARING_LOGBOOK.phone).setRequired(true);
  form.addTextItem().setTitle(JARING_LOGBOOK.service).setRequired(true);
  form.addListItem().setTitle(JARING_LOGBOOK.unit).setChoiceValues(units).setRequired(true);
  form.addTextItem().setTitle(JARING_LOGBOOK.officer);
  form.addCheckboxItem().setTitle(JARING_LOGBOOK.consent).setChoiceValues([JARING_CONSENT]);
  form.addMultipleChoiceItem().setTitle(JARING_LOGBOOK.done).setChoiceValues(['Ya', 'Belum']).setRequired(true);
  jaringConnectForm(form.getId(), 'logbook');
  console.log('Buku tamu dibuat: ' + form.getPublishedUrl());
  console.log('Daftarkan di Jaring: python -m jaring forms register ' + form.getId() +
    ' --kind logbook --office KANTOR --unit ' + units[0]);
  return form;
}
