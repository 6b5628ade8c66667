"""Repositories: queries and writes on one shared session. They never commit."""

from storage.repositories.audit import AuditRepository
from storage.repositories.invitations import InvitationRepository
from storage.repositories.organisations import OrganisationRepository
from storage.repositories.people import PersonRepository

__all__ = ["AuditRepository", "InvitationRepository", "OrganisationRepository", "PersonRepository"]
