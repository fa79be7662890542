"""Synthetic improvement work for the demo county's Differentiated Assistance workspace.

``engagement_work`` writes, for one LEA in DA, what a county coach and a district team would have
recorded after a few months of work on the indicator that put a student group in DA: a problem
of practice, data findings, a fishbone, a 5 whys, empathy interviews, two MTSS self-assessments,
a driver diagram, measures with weekly run-chart points, PDSA cycles and a coaching log.
``county_learning`` writes the county's trainings and network, with attendance from the LEAs in
DA. Everything is plain data (no database); ``continuum.web.demo`` saves it through the
workspace's forms and services, so it is validated and audited like what users type.

The run-chart points follow fixed shapes, scaled per LEA from the seed: the outcome measure has
16 weekly points with a median, enough points off it to judge the runs, and one shift (the last
six weeks above the median); the process measure rises for 12 weeks (a trend).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from continuum.formats.pasted import day_words

# Week offsets of the run charts start on this Monday (after the 2025 Dashboard's release).
FIRST_WEEK = datetime.date(2026, 1, 12)
# Outcome measure: 14 of 16 points off the median, 4 runs (limits 4–12), one shift at the end.
OUTCOME_SHAPE = (0, 3, -1, 2, 1, 4, -2, 2, 0, 3, 9, 11, 10, 13, 12, 14)
# Process measure: rising steadily as the change spreads (a trend of six points and more).
PROCESS_SHAPE = (20, 18, 24, 22, 30, 34, 41, 47, 52, 50, 55, 58)


@dataclass(frozen=True)
class Focus:
    """What put the LEA in DA: one student group (code and name) on one indicator."""

    lea: str
    cds: str
    year: int
    group_code: str
    group_name: str
    indicator: str
    status: (
        str  # the group's status on the indicator, in words ("32.2%", "75.2 points below standard")
    )


@dataclass(frozen=True)
class Finding:
    statement: str
    indicator: str  # the Dashboard indicator it names ("" for none)


@dataclass(frozen=True)
class Cause:
    category: str
    text: str
    evidence: str
    from_finding: bool = False  # rests on the first data finding


@dataclass(frozen=True)
class Whys:
    problem: str
    whys: tuple[str, ...]
    root_cause: str


@dataclass(frozen=True)
class Interview:
    date: datetime.date
    interviewee: str  # EmpathyInterview.Interviewee value
    summary: str
    themes: str


@dataclass(frozen=True)
class Assessment:
    date: datetime.date
    notes: str
    ratings: dict[str, tuple[int, str]]  # MTSS item code -> rating 1–4, evidence


@dataclass(frozen=True)
class Idea:
    text: str
    goal: str


@dataclass(frozen=True)
class Driver:
    text: str
    definition: str
    ideas: tuple[Idea, ...] = ()
    secondaries: tuple[Driver, ...] = ()


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str  # Measure.Kind value
    unit: str
    definition: str
    higher_is_better: bool
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Cycle:
    idea: str  # the change idea's text
    title: str
    owner: str
    start: datetime.date
    end: datetime.date | None
    question: str
    prediction: str
    measures: tuple[str, ...]  # measure names
    plan: str
    do_notes: str
    executed_as_planned: bool | None
    study: str
    decision: str  # PdsaCycle.Decision value or ""
    next_steps: str


@dataclass(frozen=True)
class Meeting:
    date: datetime.date
    kind: str  # Meeting.Kind value
    title: str
    attendees: str
    notes: str
    next_steps: str


@dataclass(frozen=True)
class EngagementWork:
    """Everything recorded for one engagement."""

    problem_of_practice: str
    theory_of_action: str
    aim: str
    aim_measure: str
    aim_baseline: float
    aim_target: float
    aim_date: datetime.date
    findings: tuple[Finding, ...]
    causes: tuple[Cause, ...]
    whys: tuple[Whys, ...]
    interviews: tuple[Interview, ...]
    assessments: tuple[Assessment, ...]
    drivers: tuple[Driver, ...]
    measures: tuple[Measure, ...]
    cycles: tuple[Cycle, ...]
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True)
class Theme:
    """The improvement work that suits one kind of indicator."""

    subject: str  # what is measured, in words
    outcome: str  # the outcome measure's name (with {group})
    outcome_unit: str
    outcome_definition: str
    outcome_base: tuple[float, float]  # the range of the first week's value
    outcome_step: float  # value per unit of OUTCOME_SHAPE (negative: lower is better)
    process: str
    process_definition: str
    problem: str
    # primary drivers: text, definition, secondary drivers (text, change ideas (text, goal))
    primary: tuple[tuple[str, str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]], ...]
    causes: tuple[tuple[str, str, str], ...]
    whys: tuple[str, ...]
    root_cause: str
    interviews: tuple[tuple[str, str, str], ...]


ATTENDANCE = Theme(
    subject="chronic absenteeism",
    outcome="Weekly attendance rate, {group}",
    outcome_unit="%",
    outcome_definition="Days attended divided by days enrolled that week, {group}, all schools.",
    outcome_base=(86.0, 89.0),
    outcome_step=0.5,
    process="Absences followed by a call home the same day",
    process_definition="Share of the week's unexcused absences with a same-day call logged.",
    problem=(
        "{status} of {group} at {lea} were chronically absent in {year} (Dashboard: Red). "
        "Absences cluster on Mondays and after short illnesses, and families hear from the "
        "school only once a student has missed ten days."
    ),
    primary=(
        (
            "Early, personal outreach to families",
            "Families hear from an adult who knows their child on the first day of absence.",
            (
                (
                    "Same-day contact when a student is absent",
                    (
                        (
                            "Call home on the first absence",
                            "Every unexcused absence gets a call that day.",
                        ),
                    ),
                ),
                (
                    "A welcome back after illness",
                    (
                        (
                            "Attendance buddies for students back after illness",
                            "A named adult checks in on the first day back.",
                        ),
                    ),
                ),
            ),
        ),
        (
            "A school culture that notices who is missing",
            "Teachers and staff see and act on attendance patterns weekly.",
            (
                (
                    "Attendance data every adult can read",
                    (
                        (
                            "Weekly attendance huddle using the early-warning list",
                            "Each school's team reviews the list every Monday.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    causes=(
        (
            "Students",
            "Students with several short absences are not flagged until day ten",
            "Attendance reports run monthly",
        ),
        (
            "Policies and procedures",
            "No attendance team reviews absences weekly",
            "Site plans name no owner for attendance",
        ),
        (
            "Families and community",
            "Families think a few missed days do not matter",
            "Empathy interviews with three families",
        ),
        (
            "Teachers and staff",
            "Teachers do not see attendance patterns for their class",
            "The SIS report is only open to office staff",
        ),
        (
            "Beliefs and culture",
            "Absence is seen as the family's problem, not the school's",
            "Staff survey comments",
        ),
        (
            "Curriculum and instruction",
            "Missed work is not easy to catch up on",
            "Students said they fall behind after a few days away",
        ),
        (
            "Time, materials and facilities",
            "The school bus route misses two neighbourhoods after 7:30",
            "Transport office map",
        ),
    ),
    whys=(
        "Students miss school after short illnesses and do not come back quickly.",
        "Nobody contacts the family until the absences add up.",
        "Attendance is checked monthly, by the office, against the ten-day letter.",
        "No one at the school owns attendance week by week.",
    ),
    root_cause="Attendance has no weekly owner or routine at the schools.",
    interviews=(
        (
            "family",
            "The family knew the rules on absence but thought a cold was reason enough "
            "to stay home for the week. A call on the first day would have helped.",
            "illness, communication, transport",
        ),
        (
            "student",
            "The student said coming back after a few days away is hard because the work "
            "has moved on and nobody explains what was missed.",
            "catching up, belonging",
        ),
        (
            "teacher",
            "The teacher sees absences in the gradebook but has no time or script to "
            "contact families, and assumes the office does it.",
            "roles, time, scripts",
        ),
    ),
)
ACADEMICS = Theme(
    subject="{subject} achievement",
    outcome="Exit-ticket mastery in {subject}, {group}",
    outcome_unit="%",
    outcome_definition="Share of {group} scoring 3 or 4 of 4 on the week's common exit tickets.",
    outcome_base=(41.0, 47.0),
    outcome_step=1.0,
    process="Lessons with a planned small-group reteach",
    process_definition="Share of observed lessons where the teacher reteaches from exit-ticket "
    "data within two days.",
    problem=(
        "{group} at {lea} were Red in {subject} on the {year} Dashboard ({status}). Core "
        "lessons rarely use checks for understanding, and help comes weeks later "
        "in a pull-out group, if at all."
    ),
    primary=(
        (
            "Timely reteaching in small groups",
            "Students who miss a skill get it again within two days, in class.",
            (
                (
                    "Daily evidence of who needs what",
                    (
                        (
                            "Reteach groups planned from exit tickets",
                            "Teachers plan a 15-minute group for the next lesson.",
                        ),
                    ),
                ),
                (
                    "Lessons planned for every learner",
                    (
                        (
                            "Co-planning between general and special education teachers",
                            "Weekly 30 minutes to adapt the next week's lessons.",
                        ),
                    ),
                ),
            ),
        ),
        (
            "Core instruction that checks understanding every day",
            "Every lesson ends with a short check that tells the teacher who needs what.",
            (
                (
                    "Grade-level teams that look at student work",
                    (
                        (
                            "Common exit tickets in grade-level teams",
                            "Teams write one per unit, together.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    causes=(
        (
            "Curriculum and instruction",
            "Lessons rarely check for understanding before moving on",
            "Walkthroughs: 3 of 20 lessons had a check",
        ),
        (
            "Teachers and staff",
            "Teachers have no shared time to look at student work",
            "Collaboration time is used for announcements",
        ),
        (
            "Students",
            "Students who fall behind wait weeks for help",
            "Intervention groups start after the trimester benchmark",
        ),
        (
            "Policies and procedures",
            "Intervention is scheduled during core instruction",
            "Master schedule",
        ),
        (
            "Beliefs and culture",
            "Some staff expect less of this group",
            "Staff survey and interviews",
        ),
        (
            "Families and community",
            "Families do not know what their child is learning",
            "Few families attend conferences",
        ),
        (
            "Time, materials and facilities",
            "Intervention materials do not match the core curriculum",
            "Inventory of intervention kits",
        ),
    ),
    whys=(
        "The group's scores stay far below standard.",
        "Students miss key skills and the class moves on.",
        "Teachers do not know who missed what until the benchmark.",
        "There is no daily check or time to act on one.",
    ),
    root_cause="No routine turns daily evidence of learning into next-day teaching.",
    interviews=(
        (
            "student",
            "The student said that when they do not get something, they keep quiet "
            "because the class moves on and asking feels embarrassing.",
            "belonging, pace, asking for help",
        ),
        (
            "teacher",
            "The teacher wants to reteach but the pacing guide leaves no room, and the "
            "intervention teacher's group is at another time.",
            "pacing, time, coordination",
        ),
        (
            "leader",
            "The principal said collaboration time has been used for compliance items "
            "and would like it back for looking at student work.",
            "collaboration, priorities",
        ),
    ),
)
CLIMATE = Theme(
    subject="suspension",
    outcome="Office referrals per 100 {group}",
    outcome_unit="referrals",
    outcome_definition="Office discipline referrals in the week per 100 {group} enrolled.",
    outcome_base=(11.0, 14.0),
    outcome_step=-0.4,
    process="Referrals followed by a restorative conversation",
    process_definition="Share of the week's referrals with a logged restorative conversation.",
    problem=(
        "{status} of {group} at {lea} were suspended at least once in {year} (Dashboard: Red). "
        "Most suspensions follow classroom defiance referrals, and few classrooms share "
        "expectations or responses."
    ),
    primary=(
        (
            "Responses that repair harm and keep students in class",
            "Minor behaviour is handled in class; harm is repaired, not only punished.",
            (
                (
                    "A step before every referral",
                    (
                        (
                            "Restorative conversation before any referral",
                            "A short script every teacher uses.",
                        ),
                    ),
                ),
                (
                    "Adults who know the students most often referred",
                    (
                        (
                            "Check-in/check-out for students with two referrals",
                            "A mentor each morning and afternoon.",
                        ),
                    ),
                ),
            ),
        ),
        (
            "Shared, taught expectations in every classroom",
            "Students know what is expected and adults respond the same way.",
            (
                (
                    "Expectations taught, not assumed",
                    (
                        (
                            "Teach three schoolwide expectations in the first week of each month",
                            "Lessons written by the PBIS team.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    causes=(
        (
            "Policies and procedures",
            "Defiance leads to a referral with no step before it",
            "Referral data: 61% are defiance",
        ),
        (
            "Teachers and staff",
            "New teachers were not taught the behaviour system",
            "Half of referrals come from first-year teachers",
        ),
        ("Beliefs and culture", "Suspension is seen as the only real consequence", "Staff survey"),
        (
            "Students",
            "Students do not know the expectations of each classroom",
            "Student focus group",
        ),
        (
            "Families and community",
            "Families hear from the school only when there is trouble",
            "Interviews with families",
        ),
        (
            "Curriculum and instruction",
            "Transitions and unstructured time are not planned",
            "Referrals peak after lunch",
        ),
        (
            "Time, materials and facilities",
            "No calm space or adult is free to take a student out of class",
            "Site walkthrough",
        ),
    ),
    whys=(
        "The group is suspended far more often than other students.",
        "Most suspensions follow repeated classroom referrals.",
        "Teachers refer because they have no other agreed response.",
        "Expectations and responses were never taught or agreed schoolwide.",
    ),
    root_cause="The school has no shared system of expectations and responses to behaviour.",
    interviews=(
        (
            "student",
            "The student said rules change from class to class and they are sent out "
            "for things that are fine in another room.",
            "consistency, fairness",
        ),
        (
            "family",
            "The family said the only calls they get are about trouble, and they would "
            "like to hear when things go well.",
            "communication, trust",
        ),
        (
            "teacher",
            "The teacher said referrals are the only tool they were shown, and they "
            "would use a restorative script if they had one.",
            "training, tools",
        ),
    ),
)
PATHWAYS = Theme(
    subject="graduation and college and career readiness",
    outcome="Seniors on track to graduate, {group}",
    outcome_unit="%",
    outcome_definition="Share of {group} in grade 12 with the credits to date for graduation.",
    outcome_base=(68.0, 73.0),
    outcome_step=1.0,
    process="Seniors with a credit-recovery plan reviewed this week",
    process_definition="Share of off-track seniors whose plan a counselor reviewed this week.",
    problem=(
        "{group} at {lea} were Red on the {year} Dashboard ({status}). Students fall off "
        "track in grades 10 and 11 and credit recovery starts too "
        "late in the senior year."
    ),
    primary=(
        (
            "Knowing every student's path",
            "Each student and their family know the credits and courses still needed.",
            (
                (
                    "Transcripts reviewed with students each term",
                    (
                        (
                            "Quarterly transcript review with each off-track student",
                            "A counselor and the student agree a plan.",
                        ),
                    ),
                ),
                (
                    "An adult who follows each off-track senior",
                    (
                        (
                            "Weekly mentor check-ins for off-track seniors",
                            "Ten minutes with a staff mentor.",
                        ),
                    ),
                ),
            ),
        ),
        (
            "Timely credit recovery",
            "Students recover credits in the term they lose them.",
            (
                (
                    "Recovery in the term the credit is lost",
                    (
                        (
                            "Credit recovery in the same term, during the school day",
                            "A period set aside in the schedule.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    causes=(
        (
            "Policies and procedures",
            "Credit recovery starts only in the senior year",
            "Counselor logs",
        ),
        (
            "Students",
            "Students do not know they are off track",
            "Student survey: 40% could not say how many credits they need",
        ),
        ("Teachers and staff", "Counselors carry 450 students each", "Staffing report"),
        (
            "Families and community",
            "Families do not see the transcript until senior year",
            "Parent portal use",
        ),
        (
            "Curriculum and instruction",
            "A-G courses are full before these students enroll",
            "Master schedule",
        ),
        (
            "Beliefs and culture",
            "Some staff assume these students will not go to college",
            "Interviews",
        ),
        (
            "Time, materials and facilities",
            "Credit recovery runs only after school, when students work",
            "Enrollment in the after-school lab",
        ),
    ),
    whys=(
        "The group graduates and is prepared less often than others.",
        "Students reach the senior year short of credits.",
        "Failed courses are not recovered in the term they are failed.",
        "No one reviews each student's transcript until the senior year.",
    ),
    root_cause="Progress toward graduation is not reviewed with each student each term.",
    interviews=(
        (
            "student",
            "The student found out in the senior year that two failed courses had to "
            "be made up and felt it was too late.",
            "information, timing",
        ),
        (
            "family",
            "The family had never seen the transcript and did not know what A-G meant.",
            "information, language",
        ),
        (
            "staff",
            "The counselor said caseloads leave time only for seniors in crisis.",
            "caseload, time",
        ),
    ),
)
THEMES = {"CHRO": ATTENDANCE, "ELA": ACADEMICS, "MATH": ACADEMICS, "ELPI": ACADEMICS,
          "SUSP": CLIMATE, "GRAD": PATHWAYS, "CCI": PATHWAYS}  # fmt: skip
SUBJECTS = {"ELA": "English language arts", "MATH": "mathematics",
            "ELPI": "English language development"}  # fmt: skip
COACH = "COE coach"
TEAM = "District lead, two principals, a teacher leader, COE coach"


def _week(number: int) -> datetime.date:
    return FIRST_WEEK + datetime.timedelta(weeks=number)


def engagement_work(focus: Focus, *, items: Sequence[str], seed: int) -> EngagementWork:
    """The improvement work of one engagement, deterministic for the focus and the seed;
    ``items`` are the MTSS lens's item codes to rate."""
    rng = random.Random(f"{seed}:{focus.cds}:{focus.year}")
    theme = THEMES.get(focus.indicator, ATTENDANCE)
    subject = SUBJECTS.get(focus.indicator, "")
    group = focus.group_name

    def say(text: str) -> str:
        return text.format(group=group, lea=focus.lea, year=focus.year, subject=subject,
                           status=focus.status)  # fmt: skip

    start = rng.uniform(*theme.outcome_base)
    step = theme.outcome_step * rng.choice((0.8, 1.0, 1.2))
    outcome = say(theme.outcome)
    process = say(theme.process)
    outcome_points = tuple(
        Point(_week(week), round(start + step * shape, 1),
              "Cycle 2 began: the change at two schools" if week == 10 else "")
        for week, shape in enumerate(OUTCOME_SHAPE)
    )  # fmt: skip
    scale = rng.choice((0.9, 1.0))
    process_points = tuple(
        Point(_week(week + 4), round(shape * scale, 1)) for week, shape in enumerate(PROCESS_SHAPE)
    )
    baseline = outcome_points[0].value
    target = round(baseline + step * 16, 1)
    unit = "%" if theme.outcome_unit == "%" else f" {theme.outcome_unit}"
    drivers = tuple(
        Driver(say(text), say(definition), secondaries=tuple(
            Driver(say(secondary), "", tuple(Idea(say(idea), say(goal)) for idea, goal in ideas))
            for secondary, ideas in secondaries
        ))
        for text, definition, secondaries in theme.primary
    )  # fmt: skip
    ideas = [idea.text for driver in drivers for s in driver.secondaries for idea in s.ideas]
    first_idea, second_idea = ideas[0], ideas[1]
    problem = say(theme.problem)
    due = _week(30)
    return EngagementWork(
        problem_of_practice=problem,
        theory_of_action=(
            f"If every school at {focus.lea} acts on {say(theme.subject)} data every week, and "
            f"adults respond early and personally to {group}, then {outcome.lower()} will reach "
            "the aim, because students get help before small problems become large ones."
        ),
        aim=f"{outcome} moves from {baseline:g}{unit} to {target:g}{unit} by {day_words(due)}.",
        aim_measure=outcome,
        aim_baseline=baseline,
        aim_target=target,
        aim_date=due,
        findings=(
            Finding(
                f"{group} were Red on {say(theme.subject)} in {focus.year}, the result "
                "behind the DA determination.",
                focus.indicator,
            ),
            Finding(
                f"The gap between {group} and all students at {focus.lea} widened since "
                f"{focus.year - 1}, while the county's average held steady.",
                "",
            ),
        ),
        causes=tuple(
            Cause(category, say(text), say(evidence), from_finding=index == 0)
            for index, (category, text, evidence) in enumerate(theme.causes)
        ),
        whys=(Whys(problem[:300], tuple(say(why) for why in theme.whys), say(theme.root_cause)),),
        interviews=tuple(
            Interview(_week(1 + index), who, summary, themes)
            for index, (who, summary, themes) in enumerate(theme.interviews)
        ),
        assessments=_assessments(items, rng),
        drivers=drivers,
        measures=(
            Measure(
                outcome,
                "outcome",
                theme.outcome_unit,
                say(theme.outcome_definition),
                theme.outcome_step > 0,
                outcome_points,
            ),
            Measure(process, "process", "%", say(theme.process_definition), True, process_points),
        ),
        cycles=_cycles(first_idea, second_idea, outcome, process, focus),
        meetings=_meetings(focus, group, say(theme.subject)),
    )


def _assessments(items: Sequence[str], rng: random.Random) -> tuple[Assessment, ...]:
    """A self-assessment at the start and one four months later, mostly a step up."""
    first = {code: rng.choice((1, 2, 2, 3)) for code in items}
    second = {code: min(4, rating + rng.choice((0, 1, 1))) for code, rating in first.items()}
    return (
        Assessment(_week(0), "Baseline self-assessment by the district team with the COE coach.",
                   {code: (rating, "Team consensus at the kickoff") for code, rating in
                    first.items()}),
        Assessment(_week(16), "Mid-year self-assessment after two PDSA cycles.",
                   {code: (rating, "Seen in walkthroughs and the weekly huddles"
                           if rating > first[code] else "No change observed yet")
                    for code, rating in second.items()}),
    )  # fmt: skip


def _cycles(
    first_idea: str, second_idea: str, outcome: str, process: str, focus: Focus
) -> tuple[Cycle, ...]:
    measures = (outcome, process)
    return (
        Cycle(first_idea, f"Cycle 1: {first_idea.lower()} at one school", "Principal, pilot school",
              _week(6), _week(9), f"Can one school {first_idea.lower()} for two weeks?",
              "Most of the week's cases get the change; a few are missed on busy days.", measures,
              "One school, two weeks. The office logs each case on a shared sheet; the COE coach "
              "reviews the sheet with the principal on Fridays.",
              "Carried out on 8 of 10 days; two days were missed during testing.", True,
              "The change reached 78% of cases (prediction: most). Busy days need a back-up "
              "person.", "adapt", "Name a back-up person and test at a second school."),
        Cycle(first_idea, f"Cycle 2: {first_idea.lower()} at two schools with a back-up",
              "District lead", _week(10), _week(14),
              "With a named back-up, does the change reach nine cases in ten at two schools?",
              "Nine in ten cases get the change, and the outcome measure rises.", measures,
              "Two schools, four weeks, a back-up named for each day.",
              "Carried out as planned at both schools.", True,
              f"Reach rose to 91%, and {outcome.lower()} has been on the better side of its "
              "median for six weeks: a shift.", "adopt",
              f"Spread to every school at {focus.lea} in the next term."),
        Cycle(second_idea, f"Cycle 3: {second_idea.lower()}", "Teacher leader", _week(15), None,
              f"Does {second_idea.lower()} help the students the first change did not reach?",
              "Half of those students improve within three weeks.", (outcome,),
              "Three classrooms, three weeks; the teacher leader keeps the log.",
              "", None, "", "", ""),
    )  # fmt: skip


def _meetings(focus: Focus, group: str, subject: str) -> tuple[Meeting, ...]:
    return (
        Meeting(_week(-1), "milestone", "Engagement opened", COACH,
                f"The county opened DA with {focus.lea} for {group} ({subject}).",
                "Schedule the kickoff with the district team."),
        Meeting(_week(0), "team", "Kickoff: data and problem of practice", TEAM,
                f"Reviewed the {focus.year} Dashboard with the team and drafted the problem of "
                "practice. First MTSS self-assessment.",
                "Empathy interviews with students, families and teachers."),
        Meeting(_week(4), "coaching", "Root causes and the driver diagram", TEAM,
                "Built the fishbone from the interviews and the data; agreed the aim and the "
                "first change idea.", "Plan cycle 1 at the pilot school."),
        Meeting(_week(9), "coaching", "Study of cycle 1", "District lead, principal, COE coach",
                "Looked at the log: the change reached most cases; busy days need a back-up.",
                "Plan cycle 2 with a back-up at two schools."),
        Meeting(_week(14), "coaching", "Study of cycle 2 and the run chart",
                "District lead, two principals, COE coach",
                "Six weeks above the median: a shift. The team decided to adopt the change.",
                "Plan the spread; start cycle 3 on the second change idea."),
        Meeting(_week(16), "team", "Mid-year review", TEAM,
                "Second MTSS self-assessment; most items rated a step higher.",
                "Report progress to the board in the spring."),
    )  # fmt: skip


@dataclass(frozen=True)
class Session:
    title: str
    date: datetime.date
    notes: str
    attendance: tuple[tuple[str, str, int], ...]  # LEA CDS code, Attendance.Role value, count


@dataclass(frozen=True)
class Learning:
    """A training or network the county runs, with its sessions and materials."""

    title: str
    kind: str  # LearningEvent.Kind value
    mode: str  # LearningEvent.Mode value
    location: str
    description: str
    sessions: tuple[Session, ...]
    materials: tuple[tuple[str, str], ...]  # title, link


def county_learning(leas: Sequence[str], *, seed: int) -> tuple[Learning, ...]:
    """The county's improvement-science institute and its DA network, attended by the LEAs
    (CDS codes) in DA; deterministic for the seed."""
    rng = random.Random(f"{seed}:learning")

    def attended(roles: Sequence[str]) -> tuple[tuple[str, str, int], ...]:
        """Every LEA's team comes, led by the first role; the other roles now and then."""
        return tuple(
            (cds, role, rng.randint(1, 4))
            for cds in leas for index, role in enumerate(roles) if index == 0 or rng.random() < 0.7
        )  # fmt: skip

    institute = tuple(
        Session(title, _week(week), notes, attended(("district_leader", "principal", "teacher")))
        for title, week, notes in (
            ("Day 1: Seeing the system", -1, "Problems of practice, fishbones, interviews."),
            ("Day 2: Driver diagrams and aims", 3, "Aims that are measurable and dated."),
            ("Day 3: PDSA cycles and run charts", 8, "Reading shifts, trends and runs."),
        )
    )  # fmt: skip
    network = tuple(
        Session(f"Network meeting {number}", _week(week),
                "Each team shared its run chart and its next cycle.",
                attended(("district_leader", "counselor")))
        for number, week in enumerate((5, 11, 17), start=1)
    )  # fmt: skip
    return (
        Learning(
            "Improvement Science Institute", "training", "in_person", "County Office, Room 4",
            "Three days on the tools of improvement science for DA teams.", institute,
            (("California MTSS components (CDE)", "https://www.cde.ca.gov/ci/cr/ri/mtsscomponents.asp"),
             ("The run chart (Perla, Provost & Murray 2011)",
              "https://doi.org/10.1136/bmjqs.2009.037895")),
        ),
        Learning(
            "Differentiated Assistance Network", "network", "virtual", "Video meeting",
            "Teams in DA learn from each other's PDSA cycles every six weeks.", network,
            (("Run charts revisited (Anhøj & Olesen 2014)",
              "https://doi.org/10.1371/journal.pone.0113825"),),
        ),
    )  # fmt: skip
