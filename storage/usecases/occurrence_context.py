"""The joins every report-facing query repeats: an occurrence with its measure, its assignment,
and whose it is (a school, or a person assigned by name, such as a methodist)."""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Select, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Assignment, Measure, Occurrence, Organisation, Person

# The person an occurrence is assigned to; aliased so a query may also join the report's author.
ASSIGNEE = aliased(Person, name="assignee")
Columns = TypeVarTuple("Columns")


def in_context(query: Select[*Columns]) -> Select[*Columns]:
    """``query``, which already reaches ``Occurrence``, joined to its measure and assignment
    and (outer) to the organisation or person it is assigned to."""
    return (
        query.join(Measure, Measure.id == Occurrence.measure_id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
        .outerjoin(ASSIGNEE, ASSIGNEE.id == Assignment.person_id)
    )


def whose() -> ColumnElement[str | None]:
    """The name to show for whose occurrence it is: the organisation's, else the assignee's."""
    return func.coalesce(Organisation.name, ASSIGNEE.full_name)
