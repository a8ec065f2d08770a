"""Documents referred to by the indexed ones, and questions about what they say."""

from bot.domain.references import asked_about, find_references

SENTENCES = [
    "Report of the Secretary-General: Progress made (A/78/62-E/2023/49), available at: "
    "https://example.org/docs/a78d62_en.pdf",
    "Resolution 2022/15: Assessment of the progress made, available at: "
    "https://example.org/docs/res_2022d15_en.pdf",
    "Documents available on the website: https://example.org/meeting",
]


def test_listed_documents_with_a_file_link_are_references():
    refs = find_references(SENTENCES)
    assert [(r.kind, r.symbol) for r in refs] == [("report", "A/78/62-E/2023/49"),
                                                   ("resolution", "2022/15")]
    assert refs[0].url.endswith("a78d62_en.pdf")


def test_a_question_about_what_a_reference_says_finds_it_in_three_languages():
    refs = find_references(SENTENCES)
    assert asked_about("What does the SG report conclude about AI?", refs) is refs[0]
    assert asked_about("Does resolution 2022/15 say anything about gender?", refs) is refs[1]
    assert asked_about("Que recommande le rapport du Secrétaire général ?", refs) is refs[0]
    assert asked_about("¿Qué dice la resolución sobre los datos?", refs) is refs[1]


def test_questions_about_what_a_reference_is_or_about_the_note_are_not_declined():
    refs = find_references(SENTENCES)
    assert asked_about("What is resolution 2022/15 called?", refs) is None
    assert asked_about("Does the note say anything about gender?", refs) is None
    assert asked_about("Where can I download the report?", refs) is None


def test_other_verbs_about_a_referenced_document_count_too():
    refs = find_references(SENTENCES)
    assert asked_about("Which countries does the Secretary-General's report rank highest?",
                       refs) is refs[0]
    assert asked_about("According to the report, what is the main risk?", refs) is refs[0]
    assert asked_about("Is the resolution listed among the documents?", refs) is None


def test_a_question_about_what_a_reference_says_in_arabic_chinese_and_russian():
    refs = find_references(SENTENCES)
    assert asked_about("ماذا يقول القرار 2022/15 عن البيانات؟", refs) is refs[1]
    assert asked_about("ما توصيات التقرير بشأن الفجوة الرقمية؟", refs) is refs[0]
    assert asked_about("报告对人工智能提出了什么建议？", refs) is refs[0]
    assert asked_about("Что рекомендует доклад о цифровом разрыве?", refs) is refs[0]
    assert asked_about("文件提到人工智能了吗？", refs) is None
