"""The laws that a district follows, as data: one profile per jurisdiction in ``jurisdictions/<CODE>.yml``.

A profile says which law pages cite and with what sentences, which holidays business days skip, the notice's
posting deadline and elements, and the breach clocks. Site settings (``jurisdiction``,
``notice_deadline_business_days``, ``holiday_subdivision``) choose and adjust one: ``for_site`` gives the profile
that a site follows, which is what ``Content.jurisdiction`` carries. The shipped profiles are package data,
checked by the tests (tests/test_jurisdictions.py), never at a district's build.
"""
from __future__ import annotations

from functools import cache
from typing import Literal, Optional, Union

import holidays
import yaml
from pydantic import Field, model_validator

from .schema import JURISDICTIONS, JURISDICTIONS_FOLDER, NO_DEADLINE, Flag, IsoDate, Name, SiteFields, Strict, Text

__all__ = ["JURISDICTIONS", "JURISDICTIONS_FOLDER", "Jurisdiction", "load_jurisdiction", "for_site"]
BUSINESS, CALENDAR = "business", "calendar"
BREACH_DATES = ("discovered", "reported", "posted")  # the date fields of a breach notice that a clock runs between
BREACH_FLAGS = ("sixty_day_case",)  # the flags of a breach notice that may lengthen a clock


class Law(Strict):
    name: Name = Field(description="The law as a sentence names it, e.g. Connecticut's student data privacy law.")
    citation: Name = Field(description="Its citation as pages give it, e.g. CGS §§ 10-234aa to 10-234dd.")


class Calendar(Strict):
    country: Name = Field(description="The `holidays` package's country code, e.g. US.")
    subdivision: Optional[Name] = Field(None, description="Its subdivision (state), e.g. CT; a site may override it.")

    @model_validator(mode="after")
    def _known(self) -> Calendar:
        holiday_calendar(self.country, self.subdivision)
        return self


class Longer(Strict):
    days: int = Field(ge=1, le=366, strict=True)
    when: Literal[BREACH_FLAGS] = Field(description="The breach notice's flag that allows the longer clock.")


class Clock(Strict):
    """N days (business or calendar) after one date of a record."""
    days: int = Field(ge=1, le=366, strict=True)
    count: Literal["business", "calendar"]
    verified: Flag = Field(description="false: the law's text could not be read; a late date is a note.")


class BreachClock(Clock):
    from_: Literal[BREACH_DATES] = Field(alias="from")
    to: Literal[BREACH_DATES]
    longer: Optional[Longer] = None

    @model_validator(mode="after")
    def _forward(self) -> BreachClock:
        if BREACH_DATES.index(self.to) <= BREACH_DATES.index(self.from_):
            raise ValueError(f"'to: {self.to}' must be a later date of a breach than 'from: {self.from_}'")
        return self


class Notice(Strict):
    deadline: Optional[Clock] = Field(None, description="Absent: no posting deadline.")
    elements: list[Literal["contract_date", "description", "student_data"]] = Field(min_length=1)
    fields: list[Name] = Field(default_factory=list, description="Further fields of a notice that the law requires.")
    required_by_law: list[Literal["contract_date", "description", "student_data", "contract"]] = Field(
        default_factory=list, description="Which of the elements, and whether the signed contract (contract), the "
                                          "law itself requires a notice to post; the other elements are what every "
                                          "notice of this site gives. What staff and parents are told of a missing "
                                          "one says whether the law asks for it.")

    def by_law(self, missing: list[str] | tuple[str, ...]) -> list[str]:
        """Of ``missing`` (elements and fields of a notice), those that the law requires."""
        return [name for name in missing if name in self.fields or name in self.required_by_law]


class Breach(Strict):
    contractor: Optional[BreachClock] = Field(None, description="The company tells the district.")
    district: Optional[BreachClock] = Field(None, description="The district posts the notice and tells parents.")


class Plural(Strict):
    one: Text
    other: Text


class Texts(Strict):
    """What pages say about the law: English msgids, translated through the catalogs (``%(name)s`` placeholders)."""
    home_lead: Union[Plural, Text] = Field(
        description="The home page's lead: one and other, with %(district)s and %(days)s (spelled out), by the "
                    "deadline's days; or one text with %(district)s, for a profile without a deadline.")
    home_lead_no_deadline: Optional[Text] = Field(
        None, description="With a home_lead by days: the lead when a site has no deadline, with %(district)s.")
    breaches_lead: Text = Field(description="The lead of the page of breaches.")
    notice_incomplete: Optional[Text] = Field(
        None, description="An incomplete notice's box, before the list of what is missing; absent: the template's "
                          "sentence, which cites no law.")
    home_incomplete: Optional[Plural] = Field(
        None, description="The home page's count of notices posted incomplete (%(count)s), one and other; absent: "
                          "the template's sentence, which cites no law.")
    contracts_incomplete: Optional[Plural] = Field(
        None, description="The page of all notices: how many of them are incomplete (%(count)s), one and other; "
                          "absent: the template's sentence, which cites no law.")
    notice_accessible: Optional[Text] = Field(
        None, description="A notice whose documents screen readers may not read: that what the notice must say is "
                          "on its page; absent: the template's sentence, which cites no law.")

    @model_validator(mode="after")
    def _no_deadline_text(self) -> Texts:
        if isinstance(self.home_lead, Plural) and self.home_lead_no_deadline is None:
            raise ValueError("a home_lead by days (one, other) needs home_lead_no_deadline, for a site without a "
                             "deadline")
        return self

    def home(self, deadline: Clock | None) -> tuple[str, str | None]:
        """The home page's lead: (the text, its plural, by the deadline's days), or (the text, None)."""
        if isinstance(self.home_lead, Plural):
            if deadline is not None:
                return self.home_lead.one, self.home_lead.other
            return self.home_lead_no_deadline, None
        return self.home_lead, None


class FactSource(Strict):
    fact: Text
    source: Text
    read: IsoDate
    verified: Flag


class Vocabulary(Strict):
    """How the shipped vocabulary reads on this jurisdiction's sites."""
    category_names: dict[Name, dict[Name, Name]] = Field(
        default_factory=dict, description="A category's neutral English name → its name here, by language.")


class Jurisdiction(Strict):
    code: Name
    name: Name = Field(description="In English; shown translated through the catalogs.")
    law: Optional[Law] = Field(None, description="Absent: no law is cited anywhere.")
    calendar: Calendar
    notice: Notice
    breach: Optional[Breach] = Field(None, description="Absent: no breach clocks.")
    texts: Texts
    vocabulary: Vocabulary = Field(default_factory=Vocabulary)
    sources: list[FactSource] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Jurisdiction:
        if self.notice.deadline is not None and not isinstance(self.texts.home_lead, Plural):
            raise ValueError("a profile with a notice deadline needs texts.home_lead by days (one, other)")
        clocks = (self.breach.contractor, self.breach.district) if self.breach else ()
        if self.law is None and (self.notice.deadline or any(clocks) or self.notice.required_by_law):
            raise ValueError("a profile without a law has no deadline, no breach clocks and nothing required_by_law")
        return self

    @property
    def elements(self) -> tuple[str, ...]:
        """Every element of a notice: a published notice lacking one is incomplete."""
        return (*self.notice.elements, *self.notice.fields)

    @property
    def holidays(self) -> holidays.HolidayBase:
        return holiday_calendar(self.calendar.country, self.calendar.subdivision)

    def for_site(self, deadline_days: int | Literal["none"] | None, subdivision: str | None) -> Jurisdiction:
        """This profile as a site adjusts it: its own deadline in business days (``none``: no deadline; None:
        the profile's), its own holiday subdivision (None: the profile's)."""
        notice, calendar = self.notice, self.calendar
        if deadline_days == NO_DEADLINE:
            notice = notice.model_copy(update={"deadline": None})
        elif deadline_days is not None:
            notice = notice.model_copy(update={"deadline": Clock(days=deadline_days, count=BUSINESS, verified=True)})
        if subdivision is not None:
            calendar = calendar.model_copy(update={"subdivision": subdivision})
        return self.model_copy(update={"notice": notice, "calendar": calendar})


@cache
def holiday_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    """The holidays of ``country`` (and ``subdivision``), whose working-day arithmetic skips them and weekends;
    a ValueError names what the ``holidays`` package does not know."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(f"'{country}' is not a country of the holidays package")
    if subdivision is not None and subdivision not in supported[country]:
        raise ValueError(f"'{subdivision}' is not a subdivision of {country} in the holidays package; it knows "
                         + ", ".join(sorted(supported[country])))
    return holidays.country_holidays(country, subdiv=subdivision)


@cache
def load_jurisdiction(code: str) -> Jurisdiction:
    """The shipped profile ``code`` (one of ``JURISDICTIONS``); a broken one is a ValidationError."""
    if code not in JURISDICTIONS:
        raise KeyError(code)
    data = yaml.safe_load((JURISDICTIONS_FOLDER / f"{code}.yml").read_text(encoding="utf-8"))
    return Jurisdiction.model_validate(data)


def for_site(site: SiteFields) -> Jurisdiction:
    """The profile that ``site`` follows, with its own deadline and holidays."""
    return load_jurisdiction(site.jurisdiction).for_site(site.notice_deadline_business_days, site.holiday_subdivision)
