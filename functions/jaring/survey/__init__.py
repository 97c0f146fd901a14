"""The satisfaction survey (SKM): the questionnaire, responses, forms, invitations, nudges and paper forms."""
