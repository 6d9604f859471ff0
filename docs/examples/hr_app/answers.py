"""The answers of the MUS template 'acme-mus' version 2, as typed pydantic models.

Template: acme-mus version 2, fingerprint sha256:4716d3f95c30f16fb2d241da84a05996.

Written by ``musforms schema TEMPLATE --python`` (``musforms.answers_module_source``): write it again when
the template changes. Read a parsed form's answers with ``form.answers_as(EmployeeAnswers)`` (or
``ManagerAnswers``). Every answer may be empty (None), as in any form read; a required field left empty is
an issue of the form.
"""

import datetime
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

import musforms

__all__ = [
    "EmployeeAnswers",
    "ManagerAnswers",
    "TEMPLATE_FINGERPRINT",
    "TEMPLATE_ID",
    "TEMPLATE_VERSION",
]

TEMPLATE_ID: Final = "acme-mus"
TEMPLATE_VERSION: Final = "2"
TEMPLATE_FINGERPRINT: Final = "sha256:4716d3f95c30f16fb2d241da84a05996"


class EmployeeAnswers(BaseModel):
    """The answers of the employee in 'acme-mus' version 2."""

    model_config = ConfigDict(extra="forbid")

    expectations: str | None = Field(
        default=None,
        title="Hvad vil du især gerne have ud af samtalen?",
        description="Skriv gerne de emner, du vil være sikker på at nå at tale om.",
    )

    previous_agreements_status: list[musforms.AgreementRow] | None = Field(
        default=None,
        title="Status på aftalerne fra sidste MUS",
        description="Hvad er gennemført, og hvilken effekt har det haft? Hvad er ikke gennemført – og hvorfor ikke? Hvad skal der gøres nu, og hvem gør hvad? Er det den første MUS, springes tabellen over.",
    )

    rate_quality: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Opgaverne løses i god faglig kvalitet",
    )

    rate_efficiency: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Arbejdet udføres effektivt og produktivt",
    )

    rate_deadlines: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Aftaler og tidsfrister overholdes",
    )

    rate_customer_service: Literal[1, 2, 3, 4, 5, "not_relevant"] | None = Field(
        default=None,
        title="Kunderne får en god og professionel service",
    )

    rate_safety: Literal[1, 2, 3, 4, 5, "not_relevant"] | None = Field(
        default=None,
        title="Sikkerhedsregler og gode arbejdsvaner følges",
    )

    rate_responsibility: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen tager ansvar for egne opgaver og resultater",
    )

    rate_initiative: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen viser initiativ og kommer med idéer til forbedringer",
    )

    strengths: str | None = Field(
        default=None,
        title="Styrker – hvilke opgaver er løst rigtig godt siden sidste MUS?",
        description="Beskriv medarbejderens stærke sider med eksempler på opgaver, der er løst rigtig godt, og hvad der gjorde dem vellykkede.",
    )

    development_areas: str | None = Field(
        default=None,
        title="Udviklingsområder – hvad kunne være gjort bedre?",
        description="Giv eksempler fra opgaver og situationer på, hvad medarbejderen kunne have gjort for at skabe bedre resultater.",
    )

    manager_help: str | None = Field(
        default=None,
        title="Hvordan kan lederen hjælpe og støtte medarbejderen?",
        description="Både med at bruge styrkerne og med at arbejde med udviklingsområderne.",
    )

    rate_safety_course: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen har gennemført Acmes sikkerhedskursus",
    )

    goals: str | None = Field(
        default=None,
        title="Hvilke mål skal der være for indsats og resultater frem til næste MUS?",
        description="Gør målene så konkrete, at I næste gang kan se, om de er nået.",
    )

    job_changes: str | None = Field(
        default=None,
        title="Skal der ske ændringer i jobbet eller i arbejdsområderne?",
        description="Fx nye opgaver, mere eller mindre ansvar, andre arbejdsområder eller nye måder at arbejde på.",
    )

    manager_support: str | None = Field(
        default=None,
        title="Hvordan kan lederen hjælpe og støtte medarbejderen i at nå målene?",
    )

    rate_professional_skills: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="De faglige kompetencer svarer til jobbets krav",
        description="Fx viden, håndværk, metoder og kendskab til regler og standarder.",
    )

    rate_personal_skills: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="De personlige kompetencer svarer til jobbets krav",
        description="Fx samarbejde, kommunikation, selvstændighed og omstillingsevne.",
    )

    rate_learning: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen har lyst og evne til at lære nyt",
    )

    rate_flexibility: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen er fleksibel over for nye opgaver og forandringer",
    )

    competences: str | None = Field(
        default=None,
        title="Hvordan passer medarbejderens faglige og personlige kompetencer til jobbets krav?",
        description="Faglige kompetencer er fx viden, håndværk og metoder. Personlige kompetencer er fx samarbejde, kommunikation, selvstændighed og omstillingsevne. Tænk både på de nuværende og de kommende opgaver.",
    )

    hidden_competences: str | None = Field(
        default=None,
        title="Har medarbejderen ressourcer eller kompetencer, som ikke bliver brugt i jobbet i dag?",
        description="»Skjulte« kompetencer, fx fra uddannelse, tidligere job eller fritid, som kunne komme både virksomheden og medarbejderen til gavn.",
    )

    development_needs: str | None = Field(
        default=None,
        title="Hvilke behov for kompetenceudvikling er der?",
        description="Hvad skal medarbejderen lære eller blive bedre til for at løse de nuværende og kommende opgaver? Overvej relevante og realistiske uddannelses- og udviklingsaktiviteter.",
    )

    development_methods: list[Literal["self_study", "job_rotation", "side_by_side", "mentoring", "course"]] | None = Field(
        default=None,
        title="Hvordan kan kompetencerne udvikles?",
        description="Sæt gerne flere kryds. Meget kan læres på jobbet – det behøver ikke at være et kursus.",
    )

    ideas: str | None = Field(
        default=None,
        title="Hvilke idéer er der til at udvikle virksomheden, jobbet og medarbejderen?",
        description="Fx hvordan opgaverne kan planlægges og udføres smartere, så der spares tid og penge.",
    )

    motivation_factors: str | None = Field(
        default=None,
        title="Hvad er vigtigt for <you.your> motivation og trivsel i jobbet?",
        description="Hvad giver arbejdsglæde, og hvad tager den?",
    )

    rate_cooperation_manager: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Samarbejdet mellem medarbejder og leder fungerer godt",
    )

    rate_cooperation_colleagues: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Samarbejdet med kollegerne fungerer godt",
    )

    rate_physical_environment: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Det fysiske arbejdsmiljø er godt",
        description="Fx sikkerhed, værktøj, ergonomi, støj og indeklima.",
    )

    rate_psychological_environment: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Det psykiske arbejdsmiljø er godt",
        description="Fx arbejdsmængde, arbejdspres, stemning og omgangstone.",
    )

    improve_relationships: str | None = Field(
        default=None,
        title="Hvordan kan samarbejdet og kommunikationen blive bedre?",
        description="Hvad kan medarbejderen, lederen og kollegerne hver især gøre?",
    )

    raise_motivation: str | None = Field(
        default=None,
        title="Hvad skal der til, for at motivationen og trivslen i jobbet bliver større?",
    )

    safety_ideas: str | None = Field(
        default=None,
        title="Hvordan kan vi arbejde mere sikkert?",
    )

    conclusions_summary: str | None = Field(
        default=None,
        title="Samtalens vigtigste konklusioner",
    )

    agreements: list[musforms.AgreementRow] | None = Field(
        default=None,
        title="Aftaler – hvem gør hvad, og hvornår?",
        description="Angiv for hver aftale, om medarbejderen eller lederen er ansvarlig, og en frist. Ved kompetenceudvikling angives også metoden: selvstudie, jobrotation, sidemandsoplæring, mentorordning eller kursus.",
    )

    followup_date: datetime.date | None = Field(
        default=None,
        title="Dato for opfølgningssamtale",
        description="Normalt ca. <form.followup_months> måneder efter samtalen.",
    )

    employee_comments: str | None = Field(
        default=None,
        title="Medarbejderens kommentarer til konklusioner og aftaler",
    )

    sign_employee: musforms.Signature | None = Field(
        default=None,
        title="Underskrift, medarbejder",
    )


class ManagerAnswers(BaseModel):
    """The answers of the manager in 'acme-mus' version 2."""

    model_config = ConfigDict(extra="forbid")

    prep_info_to_give: str | None = Field(
        default=None,
        title="Hvilke informationer vil du give medarbejderen?",
        description="Fx om virksomhedens situation (styrker og svagheder), fremtidsplaner (muligheder og trusler) og budget for det kommende år, og hvad de betyder for medarbejderens job. Medarbejderens skema viser det, der er skrevet om virksomheden til samtalen: <company.situation> <company.plans> Tænk over, hvad du vil uddybe.",
    )

    prep_info_to_get: str | None = Field(
        default=None,
        title="Hvilke informationer vil du gerne have fra medarbejderen?",
    )

    prep_what_to_say: str | None = Field(
        default=None,
        title="Hvad vil du sige til medarbejderen, og hvordan vil du sige det?",
    )

    prep_questions: str | None = Field(
        default=None,
        title="Hvilke spørgsmål vil du stille medarbejderen, og hvordan vil du stille dem?",
        description="Åbne spørgsmål (hvad, hvordan, hvorfor) giver de bedste svar. Stil ét spørgsmål ad gangen.",
    )

    prep_examples_develop: str | None = Field(
        default=None,
        title="Hvilke situationer vil du bruge som eksempler på kompetencer og adfærd, du gerne vil udvikle hos medarbejderen?",
        description="Vælg konkrete situationer og oplevelser, så tilbagemeldingen bliver tydelig og brugbar.",
    )

    prep_examples_unlearn: str | None = Field(
        default=None,
        title="Hvilke eksempler på uhensigtsmæssig adfærd vil du bruge – adfærd, som medarbejderen bør aflære?",
        description="Vælg konkrete situationer og oplevelser, så tilbagemeldingen bliver tydelig og brugbar.",
    )

    prep_goals_one_year: str | None = Field(
        default=None,
        title="Hvad vil du gerne se medarbejderen kunne om et år?",
        description="Hvilke mål har du for medarbejderen?",
    )

    prep_job_changes: str | None = Field(
        default=None,
        title="Hvilke ændringer i opgaverne og hvilken kompetenceudvikling ser du behov for?",
        description="Tænk også over, hvordan kompetenceudviklingen kan foregå, fx på jobbet eller i virksomheden.",
    )

    expectations: str | None = Field(
        default=None,
        title="Hvad vil du især gerne have ud af samtalen?",
        description="Skriv gerne de emner, du vil være sikker på at nå at tale om.",
    )

    previous_agreements_status: list[musforms.AgreementRow] | None = Field(
        default=None,
        title="Status på aftalerne fra sidste MUS",
        description="Hvad er gennemført, og hvilken effekt har det haft? Hvad er ikke gennemført – og hvorfor ikke? Hvad skal der gøres nu, og hvem gør hvad? Er det den første MUS, springes tabellen over.",
    )

    rate_quality: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Opgaverne løses i god faglig kvalitet",
    )

    rate_efficiency: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Arbejdet udføres effektivt og produktivt",
    )

    rate_deadlines: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Aftaler og tidsfrister overholdes",
    )

    rate_customer_service: Literal[1, 2, 3, 4, 5, "not_relevant"] | None = Field(
        default=None,
        title="Kunderne får en god og professionel service",
    )

    rate_safety: Literal[1, 2, 3, 4, 5, "not_relevant"] | None = Field(
        default=None,
        title="Sikkerhedsregler og gode arbejdsvaner følges",
    )

    rate_responsibility: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen tager ansvar for egne opgaver og resultater",
    )

    rate_initiative: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen viser initiativ og kommer med idéer til forbedringer",
    )

    strengths: str | None = Field(
        default=None,
        title="Styrker – hvilke opgaver er løst rigtig godt siden sidste MUS?",
        description="Beskriv medarbejderens stærke sider med eksempler på opgaver, der er løst rigtig godt, og hvad der gjorde dem vellykkede.",
    )

    development_areas: str | None = Field(
        default=None,
        title="Udviklingsområder – hvad kunne være gjort bedre?",
        description="Giv eksempler fra opgaver og situationer på, hvad medarbejderen kunne have gjort for at skabe bedre resultater.",
    )

    manager_help: str | None = Field(
        default=None,
        title="Hvordan kan lederen hjælpe og støtte medarbejderen?",
        description="Både med at bruge styrkerne og med at arbejde med udviklingsområderne.",
    )

    rate_safety_course: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen har gennemført Acmes sikkerhedskursus",
    )

    goals: str | None = Field(
        default=None,
        title="Hvilke mål skal der være for indsats og resultater frem til næste MUS?",
        description="Gør målene så konkrete, at I næste gang kan se, om de er nået.",
    )

    job_changes: str | None = Field(
        default=None,
        title="Skal der ske ændringer i jobbet eller i arbejdsområderne?",
        description="Fx nye opgaver, mere eller mindre ansvar, andre arbejdsområder eller nye måder at arbejde på.",
    )

    manager_support: str | None = Field(
        default=None,
        title="Hvordan kan lederen hjælpe og støtte medarbejderen i at nå målene?",
    )

    rate_professional_skills: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="De faglige kompetencer svarer til jobbets krav",
        description="Fx viden, håndværk, metoder og kendskab til regler og standarder.",
    )

    rate_personal_skills: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="De personlige kompetencer svarer til jobbets krav",
        description="Fx samarbejde, kommunikation, selvstændighed og omstillingsevne.",
    )

    rate_learning: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen har lyst og evne til at lære nyt",
    )

    rate_flexibility: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Medarbejderen er fleksibel over for nye opgaver og forandringer",
    )

    competences: str | None = Field(
        default=None,
        title="Hvordan passer medarbejderens faglige og personlige kompetencer til jobbets krav?",
        description="Faglige kompetencer er fx viden, håndværk og metoder. Personlige kompetencer er fx samarbejde, kommunikation, selvstændighed og omstillingsevne. Tænk både på de nuværende og de kommende opgaver.",
    )

    hidden_competences: str | None = Field(
        default=None,
        title="Har medarbejderen ressourcer eller kompetencer, som ikke bliver brugt i jobbet i dag?",
        description="»Skjulte« kompetencer, fx fra uddannelse, tidligere job eller fritid, som kunne komme både virksomheden og medarbejderen til gavn.",
    )

    development_needs: str | None = Field(
        default=None,
        title="Hvilke behov for kompetenceudvikling er der?",
        description="Hvad skal medarbejderen lære eller blive bedre til for at løse de nuværende og kommende opgaver? Overvej relevante og realistiske uddannelses- og udviklingsaktiviteter.",
    )

    development_methods: list[Literal["self_study", "job_rotation", "side_by_side", "mentoring", "course"]] | None = Field(
        default=None,
        title="Hvordan kan kompetencerne udvikles?",
        description="Sæt gerne flere kryds. Meget kan læres på jobbet – det behøver ikke at være et kursus.",
    )

    ideas: str | None = Field(
        default=None,
        title="Hvilke idéer er der til at udvikle virksomheden, jobbet og medarbejderen?",
        description="Fx hvordan opgaverne kan planlægges og udføres smartere, så der spares tid og penge.",
    )

    motivation_factors: str | None = Field(
        default=None,
        title="Hvad er vigtigt for <you.your> motivation og trivsel i jobbet?",
        description="Hvad giver arbejdsglæde, og hvad tager den?",
    )

    rate_cooperation_manager: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Samarbejdet mellem medarbejder og leder fungerer godt",
    )

    rate_cooperation_colleagues: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Samarbejdet med kollegerne fungerer godt",
    )

    rate_physical_environment: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Det fysiske arbejdsmiljø er godt",
        description="Fx sikkerhed, værktøj, ergonomi, støj og indeklima.",
    )

    rate_psychological_environment: Literal[1, 2, 3, 4, 5] | None = Field(
        default=None,
        title="Det psykiske arbejdsmiljø er godt",
        description="Fx arbejdsmængde, arbejdspres, stemning og omgangstone.",
    )

    improve_relationships: str | None = Field(
        default=None,
        title="Hvordan kan samarbejdet og kommunikationen blive bedre?",
        description="Hvad kan medarbejderen, lederen og kollegerne hver især gøre?",
    )

    raise_motivation: str | None = Field(
        default=None,
        title="Hvad skal der til, for at motivationen og trivslen i jobbet bliver større?",
    )

    safety_ideas: str | None = Field(
        default=None,
        title="Hvordan kan vi arbejde mere sikkert?",
    )

    conclusions_summary: str | None = Field(
        default=None,
        title="Samtalens vigtigste konklusioner",
    )

    agreements: list[musforms.AgreementRow] | None = Field(
        default=None,
        title="Aftaler – hvem gør hvad, og hvornår?",
        description="Angiv for hver aftale, om medarbejderen eller lederen er ansvarlig, og en frist. Ved kompetenceudvikling angives også metoden: selvstudie, jobrotation, sidemandsoplæring, mentorordning eller kursus.",
    )

    followup_date: datetime.date | None = Field(
        default=None,
        title="Dato for opfølgningssamtale",
        description="Normalt ca. <form.followup_months> måneder efter samtalen.",
    )

    sign_manager: musforms.Signature | None = Field(
        default=None,
        title="Underskrift, leder",
    )
