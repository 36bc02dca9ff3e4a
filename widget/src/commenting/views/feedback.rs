//! The published feedback (意见采纳情况): how many comments got each decision, as a small SVG bar
//! chart built from virtual DOM nodes (no chart library; its numbers are also its `aria-label`),
//! and the table of answered comments with decision and reason, filterable by clause, each row
//! linking back to its clause. Comment text is untrusted: it is only ever a text node.

use jiedu_core::Target as CoreTarget;
use jiedu_core::comment::{Decision, FeedbackReport};
use yew::prelude::*;

use crate::anchor::Target;
use crate::commenting::protocol::core_lang;
use crate::commenting::state::CommentingAction;
use crate::components::TargetLink;
use crate::i18n::{Strings, UiLang, fill};
use crate::outline::{clause_heading, flatten, target_str};
use crate::state::DocRef;

pub struct FeedbackProps<'a> {
    pub doc: &'a DocRef,
    pub report: &'a FeedbackReport,
    /// Only the comments on this target (`document` or a clause id); `None`: all.
    pub filter: Option<&'a str>,
    pub act: &'a Callback<CommentingAction>,
    pub on_navigate: &'a Callback<Target>,
    /// The root of the `jiedu serve` with the compare pages (`…/`), if known: an answer that
    /// names a provision of the final version links to it there.
    pub server: Option<&'a str>,
}

/// The count of each decision, in the order of [`Decision::ALL`] (zero included).
pub fn decision_counts(report: &FeedbackReport) -> Vec<(Decision, u64)> {
    Decision::ALL
        .into_iter()
        .map(|d| {
            let n = report
                .by_decision
                .iter()
                .filter(|c| c.decision == d)
                .map(|c| c.count)
                .sum();
            (d, n)
        })
        .collect()
}

/// Why received comments have no row of their own ("其中 2 条未单独列出：1 条为重复意见…；1 条为垃圾
/// 信息。"), or `None` when every comment is listed.
pub fn not_listed_note(report: &FeedbackReport, t: &Strings) -> Option<String> {
    let n = &report.not_listed;
    let mut reasons = String::new();
    for (count, reason) in [n.duplicates, n.spam, n.hidden, n.undecided]
        .into_iter()
        .zip(t.c.not_listed_reasons)
    {
        if count > 0 {
            if !reasons.is_empty() {
                reasons.push_str(t.c.not_listed_reasons[4]);
            }
            reasons.push_str(&fill(reason, &[&count.to_string()]));
        }
    }
    (!reasons.is_empty()).then(|| fill(t.c.not_listed, &[&n.sum().to_string(), &reasons]))
}

/// Tenths of an em as an SVG length (`13` → `1.3em`), without float formatting.
fn em(tenths: usize) -> String {
    format!("{}.{}em", tenths / 10, tenths % 10)
}

/// The feedback section. A plain function, not a component: the widget memoises what it returns
/// (see `App`), and every component costs bytes of the size budget.
pub fn feedback(props: &FeedbackProps, t: &'static Strings, lang: UiLang) -> Html {
    let lang = core_lang(lang);
    let doc = &props.doc.doc;
    let report = props.report;

    // The chart: one row per decision, its label above a bar as long as its share of the largest.
    let counts = decision_counts(report);
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let mut summary = String::from(t.c.chart_label);
    for (i, (d, n)) in counts.iter().enumerate() {
        summary.push_str(if i == 0 { "：" } else { ", " });
        summary.push_str(&format!("{} {n}", d.label(lang)));
    }
    const ROW: usize = 27;
    let bars = counts.iter().enumerate().map(|(i, (decision, n))| {
        let top = i * ROW;
        let width = (n * 80 / max) as usize;
        html! {
            <g class={classes!("bar", decision.as_str())}>
                <text x="0" y={em(top + 10)}>{ decision.label(lang) }</text>
                <rect x="0" y={em(top + 14)} width={format!("{}%", width.max(1))} height="0.9em" rx="2" />
                <text class="n" x={format!("{}%", width + 2)} y={em(top + 22)}>{ n.to_string() }</text>
            </g>
        }
    });

    // The filter: every target that has answers, with its count.
    let rows_on = |target: &str| {
        report
            .rows
            .iter()
            .filter(|r| target_str(&r.target) == target)
            .count()
    };
    let targets = std::iter::once(("document".to_owned(), t.c.whole_document.to_owned()))
        .chain(
            flatten(doc)
                .into_iter()
                .map(|(p, _)| (p.id.clone(), clause_heading(p))),
        )
        .filter_map(|(value, label)| {
            let n = rows_on(&value);
            (n > 0).then(|| {
                let selected = props.filter == Some(value.as_str());
                html! { <option {value} {selected}>{ format!("{label}（{n}）") }</option> }
            })
        });
    let on_filter = props.act.reform(|e: Event| {
        let value = e
            .target()
            .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        CommentingAction::FilterFeedback((!value.is_empty()).then_some(value))
    });

    let rows: Vec<Html> = report
        .rows
        .iter()
        .filter(|r| {
            props.filter.is_none_or(|f| target_str(&r.target) == f)
        })
        .map(|r| {
            let clause = match &r.target {
                CoreTarget::Document => html! { t.c.whole_document },
                CoreTarget::Provision(id) => match doc.provision(id) {
                    Some(p) => html! {
                        <TargetLink target={Target::Provision(id.clone())} on_navigate={props.on_navigate}>
                            { clause_heading(p) }
                        </TargetLink>
                    },
                    None => html! { id.clone() },
                },
            };
            let by = match &r.name {
                Some(name) => name.clone(),
                None => t.c.anonymous.to_owned(),
            };
            let same = (!r.duplicates.is_empty()).then(|| {
                let mut list = String::new();
                for n in &r.duplicates {
                    list.push_str(&format!(" #{n}"));
                }
                html! { <p class="same">{ t.c.same_as }{ list }</p> }
            });
            let see = r.see.as_ref().map(|s| {
                let href = props.server.map(|server| {
                    format!("{server}documents/{}/compare#cmp-{}", s.document_id, s.provision_id)
                });
                html! { <p class="see"><a {href}>{ fill(t.c.see_final, &[&s.label]) }</a></p> }
            });
            html! {
                <tr class="jiedu-feedback-row" data-target={target_str(&r.target).to_owned()} data-decision={r.decision.as_str()}>
                    <td>{ format!("#{}", r.number) }</td>
                    <td>{ clause }</td>
                    <td>
                        <p><span class="tag">{ t.c.stance(r.stance) }</span>{ r.text.clone() }</p>
                        if let Some(wording) = &r.proposed_wording {
                            <p class="proposed">{ t.c.proposed }{ wording.clone() }</p>
                        }
                    </td>
                    <td>{ by }</td>
                    <td><span class={classes!("decision", r.decision.as_str())}>{ r.decision.label(lang) }</span></td>
                    <td>{ r.reason.clone().unwrap_or_default() }{ for same }{ for see }</td>
                </tr>
            }
        })
        .collect();
    let empty = rows.is_empty();
    // Reports published before `received` existed have 0 there: their `total` is the count.
    let received = if report.received > 0 {
        report.received
    } else {
        report.total
    };
    let not_listed = not_listed_note(report, t);
    let published = report
        .published_at
        .get(..10)
        .unwrap_or(&report.published_at);

    html! {
        <section id="jiedu-feedback" class="jiedu-feedback" aria-labelledby="jiedu-feedback-title" tabindex="-1">
            <h3 id="jiedu-feedback-title">{ t.c.feedback_title }</h3>
            <p class="count">{ fill(t.c.feedback_summary, &[&received.to_string(), published]) }</p>
            if let Some(note) = not_listed {
                <p class="count not-listed">{ note }</p>
            }
            <svg class="jiedu-chart" width="100%" height={em(counts.len() * ROW)} role="img"
                aria-label={summary}>
                { for bars }
            </svg>
            <div class="filter">
                <label for="jiedu-feedback-filter">{ t.c.filter_label }</label>
                <select id="jiedu-feedback-filter" name="clause" onchange={on_filter}>
                    <option value="" selected={props.filter.is_none()}>
                        { format!("{}（{}）", t.c.all, report.rows.len()) }
                    </option>
                    { for targets }
                </select>
            </div>
            if empty {
                <p class="hint">{ t.c.no_rows }</p>
            } else {
                <div class="table">
                    <table class="jiedu-feedback-table">
                        <caption class="sr-only">{ t.c.feedback_title }</caption>
                        <thead><tr>{ for t.c.columns.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decision_is_counted_in_order() {
        let counts = decision_counts(&crate::sample::feedback());
        assert_eq!(
            counts.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [2, 1, 1, 1, 1]
        );
        assert_eq!(em(27), "2.7em");
    }

    #[test]
    fn the_comments_not_listed_are_accounted_for() {
        let mut report = crate::sample::feedback();
        let zh = not_listed_note(&report, UiLang::Zh.strings());
        assert_eq!(
            zh.as_deref(),
            Some("其中 2 条未单独列出：1 条为重复意见，随原意见一并答复；1 条为垃圾信息。")
        );
        let en = not_listed_note(&report, UiLang::En.strings());
        assert_eq!(
            en.as_deref(),
            Some(
                "2 of them not listed separately: 1 duplicates, answered with the original; 1 spam."
            )
        );
        report.not_listed = Default::default();
        assert_eq!(not_listed_note(&report, UiLang::Zh.strings()), None);
        assert_eq!(em(4), "0.4em");
    }
}
