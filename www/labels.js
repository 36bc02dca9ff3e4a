// Generated from jiedu-core's wire_enum! tables: [code, 中文, English] for each code the
// editor API sends. Do not edit; `UPDATE_EXPECT=1 cargo test -p jiedu-server --test it
// review_labels` rewrites it, and that test fails while it is stale.
"use strict";
window.JIEDU_LABELS = Object.freeze({
  commentStatus: [
    ["received","待处理","Received"],
    ["decided","已处理","Decided"],
    ["published","已公布","Published"],
    ["duplicate","重复","Duplicate"],
    ["spam","垃圾","Spam"],
    ["hidden","隐藏","Hidden"],
  ],
  decision: [
    ["adopted","采纳","Adopted"],
    ["partially-adopted","部分采纳","Partially adopted"],
    ["not-adopted","不予采纳","Not adopted"],
    ["already-reflected","已体现","Already reflected"],
    ["out-of-scope","不属于征求范围","Out of scope"],
  ],
  stance: [
    ["support","赞成","Support"],
    ["oppose","反对","Oppose"],
    ["suggest-change","建议修改","Suggest a change"],
  ],
  submitterType: [
    ["individual","个人","An individual"],
    ["organization","单位","An organisation"],
  ],
  status: [
    ["draft","草案","Draft"],
    ["consultation","征求意见中","Open for comment"],
    ["in-force","现行有效","In force"],
    ["revised","已修订","Revised"],
    ["repealed","已废止","Repealed"],
  ],
  lapseKind: [
    ["repealed","已废止","Repealed"],
    ["expired","已失效","Expired"],
  ],
  interpretationKind: [
    ["background","出台背景","Background"],
    ["considerations","主要考虑","Considerations"],
    ["key-points","要点","Key points"],
    ["impact","作用影响","Impact"],
    ["terms","名词解释","Terms"],
    ["qa","问答","Q&A"],
    ["graphic","图解","Graphic"],
    ["video","视频解读","Video"],
    ["follow-up","跟踪解读","Follow-up"],
  ],
});
