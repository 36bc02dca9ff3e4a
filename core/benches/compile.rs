//! Authoring → JSON throughput on a large generated document, next to pulldown-cmark's raw parse
//! of the same text (the floor no compiler built on it can beat).
//!
//! The document is generated deterministically: chapters of articles in official style, each
//! with interpretations of rotating kinds (some for the whole document, which exercises the
//! document-wide formalism set), FAQs, tables, lists, footnotes, links and images. Two sizes
//! show whether compile time grows linearly with the document.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiedu_core::authoring::{compile, markdown_options};
use pulldown_cmark::Parser;

const CLAUSES: &[&str] = &[
    "各县（区）人民政府、市政府各部门要对照国务院部门制定的标准指引，梳理细化本地区、本部门政务公开事项标准目录",
    "建立健全政务公开事项标准目录动态调整机制，根据法律法规立改废释情况和职能调整情况，及时更新目录内容",
    "充分发挥政府网站作为政务公开第一平台的作用，整合各类政务服务和信息发布渠道，推进政府网站集约化建设",
    "坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署，起草部门是政策解读的责任主体",
    "对涉及群众切身利益、社会关注度高的政策，要提前研判可能出现的舆情，制定回应预案",
    "各部门要在批准预算、决算后二十日内，公开本部门预决算及相关报表，并对重要事项进行说明",
    "及时公开稳就业、保就业政策措施，重点做好高校毕业生、农民工、退役军人等群体就业政策的推送",
    "将政务公开工作纳入年度绩效考核，对工作不力、造成不良影响的，依法依规追究责任",
];

const EXPLANATIONS: &[&str] = &[
    "过去群众在不同县区查询同一类事项，经常遇到栏目名称不同、口径不一的情况，找信息要碰运气",
    "之所以明确这个时间节点，是考虑到第四季度将开展网站绩效评估，相关工作需要先行到位",
    "对企业而言，补贴和采购支出更加透明，有利于公平参与竞争；对部门而言，预算是否合理一查便知",
    "这项要求回应了第三方评估中发现的问题：部分解读材料照搬原文，群众看了仍不明白与自己有什么关系",
    "我们比较了由各单位自行把握和由市里统一编制两种做法，最终选择统一格式、分头编制、明确责任人",
    "实施后，群众只需在一个网站查询，最迟一个月左右就能看到新的信息，逾期未公开的将被通报",
];

const KINDS: &[&str] = &[
    "background",
    "considerations",
    "key-points",
    "impact",
    "terms",
    "qa",
];

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// A document of at least `target` bytes.
fn generate(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    s.push_str("+++\nid = \"bench\"\ntitle = \"云川市政务公开规定（基准测试用）\"\nstatus = \"in-force\"\ndisclosure = \"public\"\n+++\n\n各县（区）人民政府，市政府各部门：\n\n");
    let mut chapter = 0;
    let mut article = 0;
    while s.len() < target {
        chapter += 1;
        let _ = writeln!(
            s,
            "# 第{}章 第{chapter}部分规定 {{#ch{chapter}}}\n",
            NUMERALS[(chapter - 1) % NUMERALS.len()]
        );
        let _ = writeln!(
            s,
            "## 本章说明 {{.interpretation kind=background for=document by=\"市政府办公室 政务公开科\" date=2021-06-10}}\n\n{}。本章共{}条，第{chapter}次修订时调整了适用范围。\n",
            EXPLANATIONS[chapter % EXPLANATIONS.len()],
            chapter % 7 + 3
        );
        for section in 1..=3 {
            let _ = writeln!(
                s,
                "## 第{}节 第{section}类事项 {{#ch{chapter}-s{section}}}\n",
                NUMERALS[section - 1]
            );
            for _ in 0..4 {
                article += 1;
                let a = article;
                let _ = writeln!(s, "### 第{a}条 {{#a{a}}}\n");
                let _ = writeln!(
                    s,
                    "{}，自第{a}日起执行。{}[^n{a}]。\n",
                    CLAUSES[a % CLAUSES.len()],
                    CLAUSES[(a * 3 + 1) % CLAUSES.len()]
                );
                if a % 3 == 0 {
                    let _ = writeln!(
                        s,
                        "1. **主动公开**：{}；\n2. *依申请公开*：详见[办事指南](https://www.example.gov.cn/guide/{a}.html)。\n",
                        CLAUSES[(a + 5) % CLAUSES.len()]
                    );
                }
                if a % 5 == 0 {
                    let _ = writeln!(
                        s,
                        "| 事项 | 时限 | 渠道 |\n|:--|--:|:--|\n| 第{a}项 | {} 日 | 政府网站 |\n| 第{}项 | 5个工作日 | ~~公告栏~~ 政务新媒体 |\n",
                        a % 30 + 1,
                        a + 1
                    );
                }
                let _ = writeln!(
                    s,
                    "#### 解读 {{.interpretation kind={}}}\n\n{}。以第{a}条为例，{}。\n",
                    KINDS[a % KINDS.len()],
                    EXPLANATIONS[a % EXPLANATIONS.len()],
                    EXPLANATIONS[(a + 2) % EXPLANATIONS.len()]
                );
                if a % 4 == 0 {
                    let _ = writeln!(
                        s,
                        "#### 第{a}条怎么办理？ {{.faq for=a{a}}}\n\n可以登录政府网站，在“办事服务”栏目搜索第{a}项，或拨打12345热线咨询。\n"
                    );
                }
                if a % 10 == 0 {
                    let _ = writeln!(
                        s,
                        "#### 图解 {{.interpretation kind=graphic for=a{a}}}\n\n![第{a}条办理流程图](media/flow-{a}.svg)\n"
                    );
                }
                let _ = writeln!(
                    s,
                    "[^n{a}]: 依据《中华人民共和国政府信息公开条例》第{}条。\n",
                    a % 56 + 1
                );
            }
        }
    }
    s
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("authoring");
    group.sample_size(10);
    for target in [300_000, 1_500_000] {
        let source = generate(target);
        let compiled = compile(&source);
        assert!(
            !compiled.has_errors(),
            "the generated document must compile: {:?}",
            compiled.diagnostics.first()
        );
        let doc = compiled.document.as_ref().expect("document");
        eprintln!(
            "generated {} bytes: {} provisions, {} interpretations, {} FAQs, {} diagnostics",
            source.len(),
            doc.all_provisions().count(),
            doc.interpretations.len(),
            doc.faqs.len(),
            compiled.diagnostics.len()
        );
        let size = format!("{}KB", source.len() / 1000);
        group.throughput(Throughput::Bytes(source.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("compile+json", &size),
            &source,
            |b, source| {
                b.iter(|| {
                    let compiled = compile(black_box(source));
                    serde_json::to_string(&compiled.document).expect("serialises")
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("compile", &size), &source, |b, source| {
            b.iter(|| compile(black_box(source)))
        });
        group.bench_with_input(
            BenchmarkId::new("pulldown-cmark raw parse", &size),
            &source,
            |b, source| b.iter(|| Parser::new_ext(black_box(source), markdown_options()).count()),
        );
    }
    group.finish();
}

criterion_group!(compile_benches, benches);
criterion_main!(compile_benches);
