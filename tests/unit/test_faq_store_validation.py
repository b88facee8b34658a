"""Each rule an FAQ edit must pass, with the plain-language message staff see. The seeds are the two real plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import PROJECT_ROOT, Settings
from bot.staff.faq_store import Catalog
from bot.staff.validation import EntryDraft, SeedFacts, check_answer, check_entry, check_examples

SEEDS_DIR = Settings().seeds_dir


@pytest.fixture(scope="module")
def seeds() -> SeedFacts:
    facts = SeedFacts(SEEDS_DIR)
    if not facts.available:
        pytest.skip(f"the plans' seed texts are not in {SEEDS_DIR}")
    return facts


def good_draft(**changes) -> EntryDraft:
    fields = dict(
        name="guide_dogs",
        topic="accessibility",
        title="导盲犬",
        examples=["我想要一只导盲犬", "导盲犬去哪里领"],
        answers={"default": "请问残联。可以拨打12385残疾人服务热线。"},
    )
    fields.update(changes)
    return EntryDraft(**fields)


def test_every_answer_in_the_data_passes(seeds: SeedFacts) -> None:
    catalog = Catalog(PROJECT_ROOT / "nlu_data")
    owners = catalog.example_owners()
    for entry in catalog.entries.values():
        draft = EntryDraft(entry.name, entry.topic, entry.title, entry.examples, entry.answers)
        assert check_entry(draft, owners, seeds) == [], entry.name
    for intent in catalog.intents.values():
        assert check_examples(intent.name, intent.examples, owners) == [], intent.name


def test_a_good_entry_passes(seeds: SeedFacts) -> None:
    assert check_entry(good_draft(), {}, seeds) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_answer_is_refused(seeds: SeedFacts, text: str) -> None:
    assert check_answer("潞城区", text, seeds) == ["潞城区的回答是空的。不需要这条回答就删掉它，需要就请写上内容。"]


def test_too_long_answer_is_refused(seeds: SeedFacts) -> None:
    text = "\n\n".join(["请问残联。" * 20] * 30)
    errors = check_answer("default", text, seeds)
    assert any("太长了（" in e and "最多2000字" in e for e in errors)


def test_a_paragraph_longer_than_one_message_is_refused(seeds: SeedFacts) -> None:
    errors = check_answer("绥芬河市", "短的一段。\n\n" + "很长" * 80, seeds)
    assert errors == ["绥芬河市的回答第2段有160字，一段最多150字。请空一行分成两段。"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "请点<a href='x'>这里</a>",
        "javascript:alert(1)",
        "图片 <img src=x onerror=alert(1)>",
        "文字 onclick=alert(1)",
        "<b>加粗</b>",
        "<!-- 注释 -->",
    ],
)
def test_script_or_html_is_refused(seeds: SeedFacts, text: str) -> None:
    errors = check_answer("default", text, seeds)
    assert "不分地区的回答里有网页代码或脚本（比如 <…> 标签），请只写普通文字。" in errors


def test_a_less_than_sign_in_plain_text_is_fine(seeds: SeedFacts) -> None:
    assert check_answer("default", "6岁以下（<6岁）的残疾儿童可以申请康复救助。", seeds) == []


@pytest.mark.parametrize(
    ("text", "invented"),
    [
        ("护理补贴每月100元。", "100元"),
        ("补贴每人每年三千元。", "三千元"),
        ("报销比例是百分之五十。", "百分之五十"),
        ("提高到12%。", "12%"),
        ("15个工作日内办完。", "15个工作日"),
        ("2099年底前全部完成。", "2099年"),
    ],
)
def test_invented_amounts_percentages_and_deadlines_are_refused(seeds: SeedFacts, text: str, invented: str) -> None:
    errors = check_answer("潞城区", text, seeds)
    assert errors == [f"潞城区的回答里的“{invented}”在两份规划里找不到。不要写规划里没有的金额、比例和期限。"]


@pytest.mark.parametrize("text", ["残疾人就业按10%的比例考核。", "到2025年，服务更加完善。", "每年更新，24小时服务。"])
def test_figures_that_the_plans_state_are_allowed(seeds: SeedFacts, text: str) -> None:
    assert check_answer("default", text, seeds) == []


def test_an_example_of_another_intent_is_refused_naming_it(seeds: SeedFacts) -> None:
    owners = Catalog(PROJECT_ROOT / "nlu_data").example_owners()
    errors = check_entry(good_draft(examples=["我想要一只导盲犬", "护理补贴怎么申请？"]), owners, seeds)
    assert errors == ["例句“护理补贴怎么申请？”已经是“faq/severe_care_subsidy”的例句了。同一句话只能属于一个问题。"]


def test_repeated_and_too_few_examples_are_refused() -> None:
    assert check_examples("faq/x", ["导盲犬", "导盲犬 "], {}) == ["例句“导盲犬”写了两遍。"]
    assert check_examples("greet", ["你好"], {}) == ["至少要写2个例句（一行一个），机器人才学得会。"]


def test_required_fields_and_names(seeds: SeedFacts) -> None:
    errors = check_entry(good_draft(name="导盲犬", topic="", title="", answers={}), {}, seeds)
    assert errors == [
        "问题编号只能用小写英文字母、数字和下划线，以字母开头，2到48位，比如 care_subsidy。",
        "分类只能用小写英文字母、数字和下划线，以字母开头，比如 subsidies。",
        "请填写标题（一句话说明这是什么问题）。",
        "请至少写一条回答。",
    ]


def test_an_answer_for_only_one_region_needs_the_other_or_a_default(seeds: SeedFacts) -> None:
    errors = check_entry(good_draft(answers={"绥芬河市": "请问市残联。"}), {}, seeds)
    assert errors == ["还缺潞城区的回答。请补上，或者写一条不分地区的回答。"]
    assert check_entry(good_draft(answers={"绥芬河市": "甲。", "default": "乙。"}), {}, seeds) == []
    assert check_entry(good_draft(answers={"北京市": "甲。", "default": "乙。"}), {}, seeds) == [
        "不认识这些地区：北京市。"
    ]


def test_seed_facts_from_an_empty_folder_know_nothing(tmp_path: Path) -> None:
    facts = SeedFacts(tmp_path)
    assert not facts.available and facts.invented("每月100元") == ["100元"]
    assert check_answer("default", "每月100元", facts) == [
        "不分地区的回答里有金额、比例或期限（“100元”），但找不到两份规划的原文来核对，暂时不能保存。"
        "请联系技术人员设置 SEEDS_DIR。"
    ]
    assert check_answer("default", "请问残联。", facts) == []


def test_every_answer_in_the_data_has_sources_that_pass(seeds: SeedFacts) -> None:
    from bot.staff.sources import check_sources

    for entry in Catalog(PROJECT_ROOT / "nlu_data").entries.values():
        for key, text in entry.answers.items():
            assert check_sources(key, text, entry.sources[key], seeds.index) == [], (entry.name, key)


def test_sources_are_checked_with_plain_reasons(seeds: SeedFacts) -> None:
    from bot.staff.sources import check_sources

    suifenhe, lucheng = "000_be6f3973f1e811d2.txt", "001_6439bcf8f5fc4d9a.txt"

    def problems(key: str, text: str, sources: list[dict], national: list[str] = (), ask: bool = False) -> list[str]:
        return check_sources(
            key, text, {"sources": sources, "national": list(national), "ask_region": ask}, seeds.index
        )

    good = [{"file": lucheng, "quote": "给予6个月的渐退期"}]
    assert problems("潞城区", "渐退期6个月。电话：{hotline}。", good) == []
    spaced = [{"file": suifenhe, "quote": "城乡低保标准按不低于上年度城乡居民人均消费支出 30%调 整"}]
    assert problems("绥芬河市", "低保标准。", spaced) == [], "PDF line breaks and spaces do not matter"
    assert problems("潞城区", "渐退期。", [])[0].startswith("潞城区的回答没有写依据")
    assert "找不到，请逐字摘录原文" in problems("潞城区", "渐退期。", [{"file": lucheng, "quote": "渐退期一年"}])[0]
    assert "不是两份规划之一" in problems("default", "x", [{"file": "other.txt", "quote": "x"}])[0]
    assert "只能依据本地区的规划" in problems("潞城区", "低保。", spaced)[0]
    assert "请在回答里写明它的文号" in problems("default", "两项补贴。", [], ["国发〔2015〕52号"])[0]
    assert "不认识" in problems("default", "国发〔2099〕1号", [], ["国发〔2099〕1号"])[0]
    assert "手写了热线号码12385" in problems("潞城区", "请打12385。", good)[0]
    hotline_quote = [{"file": suifenhe, "quote": "发挥“12385”残疾人服务热线和网络信访平台作用"}]
    assert problems("绥芬河市", "“12385”残疾人服务热线。", hotline_quote) == [], "quoting the plan about the hotline"
    assert "只有“不分地区的回答”" in problems("潞城区", "渐退期。", good, ask=True)[0]
