// Client-side checks of the trip booking page. They mirror the server's rules
// (sites/booking/flights.py and trips.py) so mistakes show inline before anything is sent;
// the server still checks everything again. Each function returns {input id: message}.

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
const EXPIRY = /^(0[1-9]|1[0-2])\/(\d{2})$/;
const CVC = /^\d{3,4}$/;
const MAX_TEXT = 200;

export function luhnValid(digits) {
  let total = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let value = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) value = value > 4 ? value * 2 - 9 : value * 2;
    total += value;
  }
  return total % 10 === 0;
}

// *today* is the server's "YYYY-MM-DD", or "" while unknown (then the server decides).
export function searchErrors(form, today) {
  const errors = {};
  const { airports, date } = form;
  for (const field of ["origin", "destination"]) {
    if (!airports[field].code) errors[field] = "Choose an airport from the list";
  }
  if (!errors.origin && !errors.destination && airports.origin.code === airports.destination.code) {
    errors.destination = "Choose a destination different from the origin";
  }
  if (!date) errors["depart-date"] = "Choose a departure date";
  else if (!ISO_DATE.test(date)) errors["depart-date"] = "Enter the date as YYYY-MM-DD";
  else if (today && date < today) errors["depart-date"] = `Choose a date from ${today} on`;
  return errors;
}

export function passengerErrors({ name, email }) {
  const errors = {};
  if (!name.trim()) errors["pax-name"] = "Enter the passenger's full name";
  else if (name.length > MAX_TEXT) errors["pax-name"] = `Use at most ${MAX_TEXT} characters`;
  const address = email.trim();
  if (!EMAIL.test(address) || address.length > MAX_TEXT) {
    errors["pax-email"] = "Enter an e-mail address like name@example.com";
  }
  return errors;
}

export function paymentErrors({ number, expiry, cvc }, today) {
  const errors = {};
  const digits = number.trim().replace(/ /g, "");
  if (!/^\d{13,19}$/.test(digits)) errors["card-number"] = "Enter the 13-19 digit card number";
  else if (!luhnValid(digits)) errors["card-number"] = "This card number is not valid; check the digits";
  const match = EXPIRY.exec(expiry.trim());
  if (!match) {
    errors["card-expiry"] = "Enter the expiry as MM/YY";
  } else if (today && `20${match[2]}-${match[1]}` < today.slice(0, 7)) {
    errors["card-expiry"] = "This card has expired";
  }
  if (!CVC.test(cvc.trim())) errors["card-cvc"] = "Enter the 3 or 4 digit security code";
  return errors;
}
