//! Time to compare two versions: a 500-article document against a revision that rewords every
//! tenth article, inserts and removes some (what a final version against its draft looks like),
//! and the character diff of one long clause rewritten in the middle.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiedu_core::Document;
use jiedu_core::authoring::compile;
use jiedu_core::diff::{diff_documents, diff_text};

const CLAUSE: &str = "各县（区）人民政府、市政府各部门要对照国务院部门制定的标准指引，梳理细化本地区、本部门政务公开事项标准目录，建立健全动态调整机制。";

fn document(id: &str, revised: bool) -> Document {
    let mut src = format!(
        "+++\nid = \"{id}\"\ntitle = \"基准文件\"\nstatus = \"draft\"\ndisclosure = \"public\"\n+++\n"
    );
    for n in 1..=500 {
        if revised && n % 50 == 0 {
            continue; // removed
        }
        let text = if revised && n % 10 == 0 {
            CLAUSE
                .replace("动态调整", "定期评估和动态调整")
                .replace("国务院", "上级")
        } else {
            CLAUSE.to_owned()
        };
        let _ = write!(src, "# 第{n}条 {{#a{n}}}\n{text}\n\n");
        if revised && n % 70 == 0 {
            let _ = write!(src, "# 新增条 {{#new{n}}}\n{CLAUSE}\n\n");
        }
    }
    compile(&src)
        .document
        .expect("the generated document compiles")
}

fn bench(c: &mut Criterion) {
    let (old, new) = (document("old", false), document("new", true));
    c.bench_function("diff_documents 500 articles", |b| {
        b.iter(|| diff_documents(black_box(&old), black_box(&new)))
    });
    let long_old = CLAUSE.repeat(40);
    let long_new = format!(
        "{}本条所称政务公开事项，包括主动公开和依申请公开的事项。{}",
        CLAUSE.repeat(20),
        CLAUSE.repeat(20).replace("标准目录", "目录")
    );
    c.bench_function("diff_text 2,600 characters", |b| {
        b.iter(|| diff_text(black_box(&long_old), black_box(&long_new)))
    });
    // The worst case: two unrelated 3,000-character texts, where the search gives up at
    // MAX_EDITS and shows a replacement.
    let (a, b) = ("甲乙丙".repeat(1_000), "丁戊己".repeat(1_000));
    c.bench_function("diff_text unrelated 3,000 characters", |bench| {
        bench.iter(|| diff_text(black_box(&a), black_box(&b)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
