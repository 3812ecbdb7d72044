"""What a COOPAC files with the supervisor each month, in the supervisor's layouts: the debtor
file (RCD, Anexo 6) and the trial balance file."""
