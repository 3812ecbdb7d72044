"""Refusals about members and clients."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class MemberNotFound(NotFound):
    code = "member_not_found"
    template = "Socio no encontrado"


class MemberExists(Conflict):
    code = "member_exists"
    template = "Ya existe un socio o cliente con {document_type} {document_number}"


class InvalidMemberData(Conflict):
    code = "invalid_member_data"
    template = "{reason}"
    meaning = "Person names on a legal person (RUC), or a legal name on a natural person."


class InvalidStatusTransition(Conflict):
    code = "invalid_status_transition"
    template = "No se puede pasar de {current} a {target}"
    meaning = "Withdrawn and deceased are final; see the member statuses in the README."


class DocumentReferenceRequired(Unprocessable):
    code = "document_reference_required"
    template = "Registrar {status} requiere la referencia del documento que lo acredita"
    meaning = "A withdrawal or a death is recorded with its document (document_reference)."


class MemberNotActive(Unprocessable):
    code = "member_not_active"
    template = "El socio está en estado {status}"
    meaning = "The member's status does not allow this operation (a suspended, withdrawn or "
    "deceased member cannot open accounts, borrow or pay in shares)."


class MemberRequired(Unprocessable):
    code = "member_required"
    template = "La cooperativa opera solo con sus socios: {who} no es socio"
    meaning = "A COOPAC operates only with its members (Ley 30822), unless the cooperative "
    "operates_with_non_members (a UNICA-style group)."
