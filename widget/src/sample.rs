//! A small but complete document built in Rust, shared by the unit tests and the browser tests
//! (`tests/it`). It has nested clauses, each interpretation kind the layouts group by, a follow-up,
//! FAQs, an image, a video, a table and a hostile link. Not referenced by the widget itself, so it
//! never reaches the wasm bundle.

use jiedu_core::rich::{Align, Block, Inline, RichText};
use jiedu_core::{
    Disclosure, Document, FORMAT_VERSION, Faq, Interpretation, InterpretationKind, Lang, Provision,
    Status, Target,
};

fn text(s: &str) -> Inline {
    Inline::Text { s: s.into() }
}

fn para(s: &str) -> RichText {
    RichText(vec![Block::Paragraph { c: vec![text(s)] }])
}

fn provision(id: &str, label: &str, title: &str, body: &str) -> Provision {
    Provision {
        id: id.into(),
        fixed_id: true,
        label: Some(label.into()),
        title: title.into(),
        body: if body.is_empty() {
            RichText::default()
        } else {
            para(body)
        },
        children: Vec::new(),
    }
}

fn interpretation(
    id: &str,
    kind: InterpretationKind,
    targets: &[&str],
    title: &str,
    body: RichText,
) -> Interpretation {
    Interpretation {
        id: id.into(),
        targets: targets
            .iter()
            .map(|t| match *t {
                "document" => Target::Document,
                id => Target::Provision(id.into()),
            })
            .collect(),
        kind,
        title: title.into(),
        body,
        by: Some("市政府办公室".into()),
        date: Some("2021-06-10".parse().expect("a date")),
        media: Vec::new(),
    }
}

/// The sample document (id `sample`).
pub fn document() -> Document {
    let mut s1 = provision(
        "s1",
        "一、",
        "推进政务公开标准化",
        "全面推进政务公开标准化规范化。",
    );
    s1.children = vec![
        provision(
            "s1-1",
            "（一）",
            "规范政务信息管理",
            "各县（区）人民政府要对照标准指引，梳理细化本地区政务公开事项标准目录。",
        ),
        provision(
            "s1-2",
            "（二）",
            "优化政务服务",
            "推行“一网通办”，压减办事材料。",
        ),
    ];
    let s2 = provision("s2", "二、", "加强组织保障", "各单位要明确责任分工。");
    let rich_body = RichText(vec![
        Block::Paragraph {
            c: vec![
                text("制度图解如下，"),
                Inline::Strong {
                    c: vec![text("重点")],
                },
                text("见"),
                Inline::Link {
                    href: "https://www.gov.cn/zhengce/".into(),
                    c: vec![text("国务院政策")],
                },
                text("；"),
                Inline::Link {
                    href: "javascript:alert(1)".into(),
                    c: vec![text("恶意链接")],
                },
                text("。"),
            ],
        },
        Block::Paragraph {
            c: vec![Inline::Image {
                src: "/img/flow.png".into(),
                alt: "办事流程图".into(),
            }],
        },
        Block::Paragraph {
            c: vec![Inline::Video {
                src: "/media/explain.mp4".into(),
                alt: "政策解读视频".into(),
                captions: Some("/media/explain.vtt".into()),
            }],
        },
        Block::Table {
            align: vec![Align::Left, Align::Right],
            head: vec![vec![text("事项")], vec![text("时限")]],
            rows: vec![vec![vec![text("目录编制")], vec![text("30日")]]],
        },
    ]);
    Document {
        format_version: FORMAT_VERSION,
        id: "sample".into(),
        title: "示例市政务公开工作要点".into(),
        doc_number: Some("示政办发〔2021〕39号".into()),
        issuer: Some("示例市人民政府办公室".into()),
        issued: Some("2021-06-02".parse().expect("a date")),
        effective: Some("2021-07-01".parse().expect("a date")),
        status: Status::InForce,
        disclosure: Disclosure::Public,
        lang: Lang::ZhCn,
        summary: Some("明确本年度政务工作的重点任务。".into()),
        preamble: para("为做好本年度工作，现提出如下要点。"),
        provisions: vec![s1, s2],
        closing: RichText::default(),
        interpretations: vec![
            interpretation(
                "bg",
                InterpretationKind::Background,
                &["s1-1"],
                "出台背景",
                para("近年来群众反映政务公开事项分散，查找不便。"),
            ),
            interpretation(
                "why",
                InterpretationKind::Considerations,
                &["s1-2"],
                "主要考虑",
                para("减少群众跑腿次数。"),
            ),
            interpretation(
                "kp",
                InterpretationKind::KeyPoints,
                &["document"],
                "要点概述",
                para("今年重点是标准化和公开目录。"),
            ),
            interpretation(
                "graphic",
                InterpretationKind::Graphic,
                &["s1-2", "s2"],
                "一图读懂",
                rich_body,
            ),
            interpretation(
                "fu",
                InterpretationKind::FollowUp,
                &["s1-2"],
                "实施三个月情况",
                para("已压减办事材料百分之三十。"),
            ),
        ],
        faqs: vec![
            Faq {
                id: "q1".into(),
                question: "哪些信息应当主动公开？".into(),
                answer: para("涉及群众切身利益的信息都应当主动公开。"),
                related: vec![Target::Provision("s1-1".into())],
            },
            Faq {
                id: "q2".into(),
                question: "办事材料减少了多少？".into(),
                answer: para("平均减少三成。"),
                related: Vec::new(),
            },
        ],
        consultation: None,
        lapsed: None,
        replaces: None,
    }
}

/// The sample document with `n` more top-level clauses, `a1` to `a{n}` (the last one's text says
/// 末条专有), each with an interpretation `ja{k}`: a long document for the progressive-rendering
/// tests.
pub fn long(n: usize) -> Document {
    let mut doc = document();
    for k in 1..=n {
        let id = format!("a{k}");
        let body = if k == n {
            "末条专有的规定。"
        } else {
            "本条规定相关事项。"
        };
        doc.provisions
            .push(provision(&id, &format!("第{k}条"), "", body));
        doc.interpretations.push(interpretation(
            &format!("ja{k}"),
            InterpretationKind::Considerations,
            &[&id],
            &format!("第{k}条解读"),
            para("说明本条的考虑。"),
        ));
    }
    doc
}

/// The sample document plus everything it leaves out: a consultation, media lists, and a body
/// with every rich-text block and inline (for the decoder's round-trip test).
pub fn complete() -> Document {
    use jiedu_core::{Consultation, ConsultationKind, Media, MediaKind};
    let mut doc = document();
    doc.consultation = Some(Consultation {
        opens: "2026-12-01T00:00:00+08:00".parse().expect("a timestamp"),
        closes: "2026-12-31T23:59:59+08:00".parse().expect("a timestamp"),
        kind: ConsultationKind::Normative,
        contact: Some("电子邮箱 zhengce@example.gov.cn".into()),
    });
    doc.lang = Lang::En;
    doc.replaces = Some("sample-draft".into());
    doc.provisions[1].fixed_id = false;
    doc.provisions[1].label = None;
    doc.closing = para("特此通知。");
    let every = RichText(vec![
        Block::Paragraph {
            c: vec![
                text("a"),
                Inline::Emph { c: vec![text("b")] },
                Inline::Strike { c: vec![text("c")] },
                Inline::Code { s: "d".into() },
                Inline::Break,
                Inline::FootnoteRef { label: "1".into() },
            ],
        },
        Block::List {
            start: None,
            items: vec![vec![Block::Rule], vec![]],
        },
        Block::List {
            start: Some(3),
            items: vec![vec![Block::Code {
                text: "x = 1\n".into(),
            }]],
        },
        Block::Quote {
            c: vec![Block::Footnote {
                label: "1".into(),
                c: vec![Block::Paragraph {
                    c: vec![text("注")],
                }],
            }],
        },
        Block::Table {
            align: vec![Align::None, Align::Center],
            head: vec![vec![], vec![text("h")]],
            rows: vec![],
        },
    ]);
    let i = &mut doc.interpretations[3];
    i.media = vec![
        Media {
            kind: MediaKind::Image,
            src: "/img/flow.png".into(),
            alt: "办事流程图".into(),
        },
        Media {
            kind: MediaKind::Video,
            src: "/media/explain.mp4".into(),
            alt: "政策解读视频".into(),
        },
    ];
    i.body.0.extend(every.0);
    i.by = None;
    i.date = None;
    doc
}

/// The sample document as a draft open for comment from 2026-12-01 to 2026-12-31 (Beijing time),
/// for the commenting tests.
pub fn draft() -> Document {
    use jiedu_core::{Consultation, ConsultationKind};
    let mut doc = document();
    doc.id = "sample-draft".into();
    doc.title = "示例市政务公开办法（征求意见稿）".into();
    doc.status = Status::Consultation;
    doc.consultation = Some(Consultation {
        opens: "2026-12-01T00:00:00+08:00".parse().expect("a timestamp"),
        closes: "2026-12-31T23:59:59+08:00".parse().expect("a timestamp"),
        kind: ConsultationKind::Normative,
        contact: Some("也可以发送电子邮件至 zhengce@example.gov.cn。".into()),
    });
    doc
}

/// A published feedback report on [`draft`]: every decision, a duplicate, a masked name, an
/// organisation, and a comment that tries to inject markup.
pub fn feedback() -> jiedu_core::comment::FeedbackReport {
    use jiedu_core::comment::{
        Decision, DecisionCount, FeedbackReport, FeedbackRow, ProvisionCount, Stance, SubmitterType,
    };
    let row = |number: u64, target: &str, decision: Decision, text: &str| FeedbackRow {
        number,
        target: match target {
            "document" => Target::Document,
            id => Target::Provision(id.into()),
        },
        stance: Stance::SuggestChange,
        submitter_type: SubmitterType::Individual,
        name: Some("朱**".into()),
        text: text.into(),
        proposed_wording: Some("应当在二十个工作日内公开。".into()),
        decision,
        reason: (decision != Decision::Adopted).then(|| format!("理由{number}")),
        duplicates: Vec::new(),
        see: None,
    };
    let mut rows = vec![
        row(1, "s1-1", Decision::Adopted, "建议明确目录的更新时限。"),
        row(
            2,
            "s1-1",
            Decision::NotAdopted,
            "<img src=x onerror=alert(1)>删去本条",
        ),
        row(3, "s2", Decision::PartiallyAdopted, "建议明确责任单位。"),
        row(4, "document", Decision::OutOfScope, "建议增加停车位。"),
        row(5, "s1-2", Decision::AlreadyReflected, "建议推行一网通办。"),
    ];
    rows[1].name = None;
    rows[2].submitter_type = SubmitterType::Organization;
    rows[2].name = Some("示例市律师协会".into());
    rows[0].duplicates = vec![6];
    rows[0].see = Some(jiedu_core::comment::FinalProvision {
        document_id: "sample".into(),
        provision_id: "s1-1".into(),
        label: "第一条".into(),
    });
    let counts = |list: &[(Decision, u64)]| {
        list.iter()
            .map(|&(decision, count)| DecisionCount { decision, count })
            .collect::<Vec<_>>()
    };
    FeedbackReport {
        document_id: "sample-draft".into(),
        published_at: "2027-01-20T10:00:00+08:00".into(),
        received: 7,
        total: 6,
        not_listed: jiedu_core::comment::NotListed {
            duplicates: 1,
            spam: 1,
            hidden: 0,
            undecided: 0,
        },
        by_decision: counts(&[
            (Decision::Adopted, 2),
            (Decision::PartiallyAdopted, 1),
            (Decision::NotAdopted, 1),
            (Decision::AlreadyReflected, 1),
            (Decision::OutOfScope, 1),
        ]),
        by_provision: vec![ProvisionCount {
            target: Target::Provision("s1-1".into()),
            total: 3,
            by_decision: counts(&[(Decision::Adopted, 2), (Decision::NotAdopted, 1)]),
        }],
        rows,
    }
}

/// Receipt answers in each state.
pub fn receipt_statuses() -> Vec<jiedu_core::comment::ReceiptStatus> {
    use jiedu_core::comment::{Decision, PublicStatus, ReceiptStatus};
    let status = |status, decision: Option<Decision>, reason: Option<&str>| ReceiptStatus {
        receipt: "JD-7K3Q-9XWM".into(),
        document_id: "sample-draft".into(),
        target: Target::Provision("s1-1".into()),
        received_at: "2026-12-15T10:00:00+08:00".into(),
        status,
        decision,
        reason: reason.map(str::to_owned),
    };
    vec![
        status(PublicStatus::Received, None, None),
        status(PublicStatus::UnderReview, None, None),
        status(
            PublicStatus::Answered,
            Some(Decision::NotAdopted),
            Some("已在第七条规定。"),
        ),
    ]
}
