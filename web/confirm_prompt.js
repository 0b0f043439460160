// An in-page confirmation ("Cancel the 30 Minute Meeting on Tuesday at 3 PM?" with a yes and a no),
// drawn where the person pressed, instead of window.confirm: it is read by screen readers as a
// labelled group, takes the keyboard focus (Escape says no), and fits a phone.
let nextId = 0;

// Draws the question into `host` (replacing what was there) and focuses its yes button; `onYes`
// and `onNo` run once, after the prompt has gone.
export function askToConfirm(host, { question, yes, no, onYes, onNo }) {
    const questionId = `confirm-${++nextId}`;
    const group = document.createElement('div');
    group.className = 'confirm-prompt';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-labelledby', questionId);
    const text = document.createElement('p');
    text.id = questionId;
    text.className = 'confirm-question';
    text.textContent = question;
    const yesButton = document.createElement('button');
    yesButton.type = 'button';
    yesButton.className = 'confirm-yes';
    yesButton.textContent = yes;
    const noButton = document.createElement('button');
    noButton.type = 'button';
    noButton.className = 'secondary confirm-no';
    noButton.textContent = no;
    const buttons = document.createElement('div');
    buttons.className = 'actions';
    buttons.append(yesButton, noButton);
    group.append(text, buttons);

    let answered = false;
    const answer = (handler) => {
        if (answered) return;
        answered = true;
        group.remove();
        handler?.();
    };
    yesButton.addEventListener('click', () => answer(onYes));
    noButton.addEventListener('click', () => answer(onNo));
    group.addEventListener('keydown', (event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        answer(onNo);
    });
    host.replaceChildren(group);
    yesButton.focus();
    return group;
}
