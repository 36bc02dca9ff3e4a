//! Calendar dates and instants with a UTC offset, small enough for the widget's size budget.
//!
//! Documents carry dates (`2021-06-02`) and consultations carry instants with an offset
//! (`2026-12-01T00:00:00+08:00`). We need parsing, formatting, ordering and day arithmetic, nothing
//! more, so this module implements exactly that instead of pulling a date library into the wasm bundle.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date in the proleptic Gregorian calendar. Serialised as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// An instant written with its UTC offset, as the editor wrote it. Serialised as RFC 3339
/// (`2026-12-01T00:00:00+08:00`). Comparisons use the instant, not the written fields.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in minutes (`+08:00` is 480).
    pub offset_minutes: i16,
}

/// Why a date or timestamp string was rejected: the text as written and what is wrong with it.
/// `Display` is English; [`DateError::zh`] is the same in Chinese, for the authoring diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    pub input: String,
    pub problem: DateProblem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    NotADate,
    NotADateTime,
    /// Well formed, but no such day (`2021-02-30`).
    NotOnTheCalendar,
    NotANumber(DatePart),
    OutOfRange(DatePart),
}

/// The field of a date or time that a [`DateProblem`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    OffsetHour,
    OffsetMinute,
}

impl DatePart {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            DatePart::Year => ("year", "年份"),
            DatePart::Month => ("month", "月份"),
            DatePart::Day => ("day", "日"),
            DatePart::Hour => ("hour", "小时"),
            DatePart::Minute => ("minute", "分钟"),
            DatePart::Second => ("second", "秒"),
            DatePart::OffsetHour => ("offset hour", "时区的小时"),
            DatePart::OffsetMinute => ("offset minute", "时区的分钟"),
        }
    }
}

impl DateError {
    fn new(input: &str, problem: DateProblem) -> DateError {
        DateError {
            input: input.to_owned(),
            problem,
        }
    }

    /// The message in Chinese.
    pub fn zh(&self) -> String {
        let input = &self.input;
        match self.problem {
            DateProblem::NotADate => format!("`{input}` 不是日期，请写成 YYYY-MM-DD"),
            DateProblem::NotADateTime => {
                format!("`{input}` 不是日期时间，请写成 YYYY-MM-DDTHH:MM:SS+08:00")
            }
            DateProblem::NotOnTheCalendar => format!("{input} 这一天不存在"),
            DateProblem::NotANumber(part) => format!("`{input}`：{}不是数字", part.names().1),
            DateProblem::OutOfRange(part) => format!("`{input}`：{}超出范围", part.names().1),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match self.problem {
            DateProblem::NotADate => write!(f, "`{input}` is not a date; write YYYY-MM-DD"),
            DateProblem::NotADateTime => write!(
                f,
                "`{input}` is not a date-time; write YYYY-MM-DDTHH:MM:SS+08:00"
            ),
            DateProblem::NotOnTheCalendar => write!(f, "{input} is not a calendar date"),
            DateProblem::NotANumber(part) => {
                write!(f, "`{input}`: the {} is not a number", part.names().0)
            }
            DateProblem::OutOfRange(part) => {
                write!(f, "`{input}`: the {} is out of range", part.names().0)
            }
        }
    }
}

impl std::error::Error for DateError {}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::new(
                &format!("{year:04}-{month:02}-{day:02}"),
                DateProblem::NotOnTheCalendar,
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01. Inverse of [`Date::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn parse_num<T: FromStr>(s: &str, what: DatePart, whole: &str) -> Result<T, DateError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::new(whole, DateProblem::NotANumber(what)));
    }
    s.parse()
        .map_err(|_| DateError::new(whole, DateProblem::OutOfRange(what)))
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::new(s, DateProblem::NotADate));
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(DateError::new(s, DateProblem::NotADate));
        }
        Date::new(
            parse_num(y, DatePart::Year, s)?,
            parse_num(m, DatePart::Month, s)?,
            parse_num(d, DatePart::Day, s)?,
        )
    }
}

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.date.days_since_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The instant `secs` seconds after the epoch, written with the given offset.
    pub fn from_unix_seconds(secs: i64, offset_minutes: i16) -> Timestamp {
        let local = secs + i64::from(offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        Timestamp {
            date: Date::from_days_since_epoch(days),
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
            offset_minutes,
        }
    }

    /// The calendar date of this instant in its own offset.
    pub fn local_date(&self) -> Date {
        self.date
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.unix_seconds() == other.unix_seconds()
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.unix_seconds().cmp(&other.unix_seconds())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )?;
        if self.offset_minutes == 0 {
            return f.write_str("Z");
        }
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let abs = self.offset_minutes.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
    }
}

impl FromStr for Timestamp {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Timestamp, DateError> {
        let bad = || DateError::new(s, DateProblem::NotADateTime);
        let (date, rest) = s.split_at_checked(10).ok_or_else(bad)?;
        let date: Date = date.parse()?;
        let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(bad)?;
        let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
            (time, 0i16)
        } else {
            let at = rest.rfind(['+', '-']).ok_or_else(bad)?;
            let (time, off) = rest.split_at(at);
            let sign: i16 = if off.starts_with('-') { -1 } else { 1 };
            let (h, m) = off[1..].split_once(':').ok_or_else(bad)?;
            let h: i16 = parse_num(h, DatePart::OffsetHour, s)?;
            let m: i16 = parse_num(m, DatePart::OffsetMinute, s)?;
            if h > 23 || m > 59 {
                return Err(bad());
            }
            (time, sign * (h * 60 + m))
        };
        // Fractional seconds are accepted and dropped: comment periods are counted in days.
        let time = time.split('.').next().unwrap_or(time);
        let mut parts = time.split(':');
        let (Some(h), Some(mi), sec, None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let hour: u8 = parse_num(h, DatePart::Hour, s)?;
        let minute: u8 = parse_num(mi, DatePart::Minute, s)?;
        let second: u8 = match sec {
            Some(sec) => parse_num(sec, DatePart::Second, s)?,
            None => 0,
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err(bad());
        }
        Ok(Timestamp {
            date,
            hour,
            minute,
            second: second.min(59),
            offset_minutes: offset,
        })
    }
}

macro_rules! serde_via_string {
    ($ty:ty, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "format": $expecting })
            }
        }
    };
}
serde_via_string!(Date, "date");
serde_via_string!(Timestamp, "date-time");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_788, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(2026, 12, 1).unwrap().days_since_epoch(), 20_788);
    }

    #[test]
    fn parses_and_orders_timestamps() {
        let a: Timestamp = "2026-12-01T00:00:00+08:00".parse().unwrap();
        let b: Timestamp = "2026-11-30T16:00:00Z".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "2026-12-01T00:00:00+08:00");
        assert_eq!(
            Timestamp::from_unix_seconds(a.unix_seconds(), 480).to_string(),
            a.to_string()
        );
        assert!("2026-02-30".parse::<Date>().is_err());
        assert!("2026-12-01T25:00:00Z".parse::<Timestamp>().is_err());
    }
}
