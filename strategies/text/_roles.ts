/**
 * Roles and offices written before a name ("President Obama", "Ambassador Mohib", "Senator Inabo"):
 * the capitalised word after one is a name, and the role itself is not part of it.
 *
 * @module
 */

/** Folded role words. */
export const ROLES: ReadonlySet<string> = new Set(
  ("president vice ambassador senator senators governor mayor minister premier chancellor secretary " +
    "judge justice general colonel major admiral commander sheriff deputy chief director administrator " +
    "chairman chairwoman chair ceo founder co-founder pope cardinal bishop archbishop reverend rev father " +
    "sister brother king queen prince princess duke duchess earl count countess baron emperor empress " +
    "representative rep congressman congresswoman councillor councilor commissioner inspector constable " +
    "professor lecturer spokesman spokeswoman spokesperson nurse pastor rabbi imam saint st")
    .split(" "),
);
